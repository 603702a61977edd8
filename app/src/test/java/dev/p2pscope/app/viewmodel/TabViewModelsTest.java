package dev.p2pscope.app.viewmodel;

import dev.p2pscope.app.concurrent.ImmediateTaskRunner;
import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.model.PciAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/// The per-tab view models over one session, without a stage.
class TabViewModelsTest {

    ExplorerViewModel session;
    LessonViewModel lesson;
    SglViewModel sgl;
    NoticesViewModel notices;
    InspectorViewModel inspector;
    HostViewModel host;

    static PciAddress a(String s) {
        return PciAddress.parseLenient(s);
    }

    @BeforeEach
    void open() {
        session = new ExplorerViewModel(new ImmediateTaskRunner());
        lesson = new LessonViewModel(session);
        sgl = new SglViewModel(session);
        notices = new NoticesViewModel(session);
        inspector = new InspectorViewModel(session);
        host = new HostViewModel(session);
        session.openSample("skylake-sp-2s-switch");
    }

    @Test
    void theTourSelectsEachStepsPairAndItsEditsAndBackUndoesThem() {
        assertThat(lesson.steps()).hasSize(5);
        assertThat(lesson.canBackProperty().get()).isFalse();
        lesson.next();
        assertThat(session.providerProperty().get()).isEqualTo(a("1a:00.0"));
        assertThat(session.clients()).containsExactly(a("1c:00.0"));
        assertThat(session.verdictProperty().get().mapType()).isEqualTo(MapType.BUS_ADDR);
        lesson.go(4);
        assertThat(session.edits()).hasSize(1);
        assertThat(session.verdictProperty().get().mapType()).isEqualTo(MapType.NOT_SUPPORTED);
        assertThat(lesson.canNextProperty().get()).isFalse();
        lesson.back();
        assertThat(session.edits()).isEmpty();
        assertThat(session.clients()).containsExactly(a("1c:00.0"));
        assertThat(session.providerProperty().get()).isEqualTo(a("86:00.0"));
        assertThat(lesson.positionProperty().get()).isEqualTo("Step 4 of 5");
        assertThatThrownBy(() -> lesson.go(5)).isInstanceOf(IndexOutOfBoundsException.class);
        // A new topology starts its own tour from the beginning.
        session.openSample("acs-redirect-switch");
        assertThat(lesson.indexProperty().get()).isEqualTo(-1);
        assertThat(lesson.markdownProperty().get()).contains("**Lesson");
    }

    @Test
    void theUsersOwnEditsAreLeftAloneByStepsWithoutEdits() {
        session.apply(dev.p2pscope.core.whatif.WhatIf.acs("0000:19:00.0=0x0004"));
        lesson.next();
        lesson.next();
        assertThat(session.edits()).hasSize(1);
    }

    @Test
    void theSglTabFollowsTheSessionsPair() {
        assertThat(sgl.clientProperty().get()).isNotNull();
        assertThat(sgl.resultProperty().get()).isNotNull();
        session.setPair(a("86:00.0"), a("3b:00.0"));
        assertThat(sgl.clientProperty().get()).isEqualTo(a("3b:00.0"));
        assertThat(sgl.segmentsProperty().get()).contains("p2p:0000:86:00.0@");
        assertThat(sgl.resultProperty().get().table().ok()).isTrue();   // THRU_HOST_BRIDGE, allowlisted
        sgl.segmentsProperty().set("nonsense");
        sgl.map();
        assertThat(sgl.resultProperty().get()).isNull();
        assertThat(sgl.tableProperty().get()).startsWith("Cannot map: segment 'nonsense'");
    }

    @Test
    void noticesInspectorAndHostSayWhatTheyShow() {
        assertThat(notices.lines()).isEmpty();
        assertThat(notices.emptyTextProperty().get()).isEqualTo("No notices: sample skylake-sp-2s-switch loaded "
                + "without unknown keys, inferred facts or skipped files.");
        assertThat(inspector.headerProperty().get()).startsWith("No function selected");
        session.select(a("1d:00.0"));
        assertThat(inspector.headerProperty().get()).isEqualTo("0000:1d:00.0 \u00b7 NVIDIA Tesla V100 PCIe 16GB "
                + "\u00b7 endpoint");
        assertThat(inspector.facts()).anySatisfy(f -> {
            assertThat(f.name()).isEqualTo("Downgraded");
            assertThat(f.value()).isEqualTo("yes");
        });
        assertThat(host.factsProperty().get()).contains("P2PDMA parameters  unknown (no command line was captured)");
        // A link whose maximum was not read is not "not downgraded": unknown is not no.
        var t = session.topology();
        var f = t.require(a("1d:00.0"));
        var unread = f.toBuilder().link(new dev.p2pscope.core.model.Link("8.0 GT/s PCIe", 16, null, null)).build();
        assertThat(InspectorViewModel.facts(t.withFunction(unread), unread)).anySatisfy(x -> {
            assertThat(x.name()).isEqualTo("Downgraded");
            assertThat(x.value()).startsWith("unknown");
        });
        var full = f.toBuilder().link(new dev.p2pscope.core.model.Link("8.0 GT/s PCIe", 16, "8.0 GT/s PCIe", 16)).build();
        assertThat(InspectorViewModel.facts(t.withFunction(full), full)).anySatisfy(x -> {
            assertThat(x.name()).isEqualTo("Downgraded");
            assertThat(x.value()).isEqualTo("no");
        });
        assertThat(host.canDeriveProperty().get()).isFalse();
    }

    @Test
    void sizesAreExactWhereTheyCanBe() {
        assertThat(InspectorViewModel.size(512L << 20)).isEqualTo("512 MiB");
        assertThat(InspectorViewModel.size((1L << 30) + (1L << 20))).isEqualTo("1025 MiB");
        assertThat(InspectorViewModel.size(1536)).isEqualTo("1.5 KiB (1536 bytes)");
        assertThat(InspectorViewModel.size(100)).isEqualTo("100 bytes");
    }
}
