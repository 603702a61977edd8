package dev.p2pscope.app.viewmodel;

import dev.p2pscope.app.concurrent.ImmediateTaskRunner;
import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.samples.Samples;
import dev.p2pscope.core.topology.TopologyLoadException;
import dev.p2pscope.core.whatif.WhatIf;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/// The explorer's behaviour without a stage: load, pick a pair, what-if edits with changed pairs, undo/redo.
class ExplorerViewModelTest {

    ExplorerViewModel vm;

    static PciAddress a(String s) {
        return PciAddress.parseLenient(s);
    }

    @BeforeEach
    void load() {
        vm = new ExplorerViewModel(new ImmediateTaskRunner());
        vm.open("sample acs-redirect-switch", () -> Samples.load("acs-redirect-switch"));
    }

    @Test
    void loadingShowsTheTopologyAndItsMatrix() {
        assertThat(vm.topology().size()).isEqualTo(10);
        assertThat(vm.matrixProperty().get().size()).isEqualTo(4);   // 03:00.0, 04:00.0, 05:00.0, 05:00.1
        assertThat(vm.statusProperty().get()).contains("10 functions");
        assertThat(vm.loadingProperty().get()).isFalse();
    }

    @Test
    void aBrokenSourceIsAReadableErrorWithThePlace() {
        vm.open("bad.json", () -> {
            throw new TopologyLoadException("bad.json", "format must be \"p2pscope-topology/1\"");
        });
        assertThat(vm.errorProperty().get()).startsWith("bad.json: format must be");
        assertThat(vm.topology().size()).isEqualTo(10);   // the previous topology stays
    }

    @Test
    void pickingProviderThenClientDecidesThePair() {
        vm.pick(a("03:00.0"));
        assertThat(vm.verdictProperty().get()).isNull();
        vm.pick(a("04:00.0"));
        assertThat(vm.verdictProperty().get().mapType()).isEqualTo(MapType.NOT_SUPPORTED);
        assertThat(vm.verdictProperty().get().acsRedirect()).containsExactly(a("02:08.0"), a("02:09.0"));
        vm.pick(a("05:00.0"));   // a third click starts a new pair
        assertThat(vm.providerProperty().get()).isEqualTo(a("05:00.0"));
        assertThat(vm.verdictProperty().get()).isNull();
    }

    @Test
    void choosingSeveralClientsGivesDistanceManyAsTheKernelSumsIt() {
        vm.choose(a("05:00.0"), List.of(a("05:00.1")));
        assertThat(vm.distanceMany()).isEmpty();   // one client: the verdict is the answer
        // The kernel stops at the first client it cannot serve and answers -1.
        vm.choose(a("05:00.0"), List.of(a("05:00.1"), a("03:00.0")));
        assertThat(vm.distanceMany()).get().satisfies(r -> {
            assertThat(r.distance()).isEqualTo(-1);
            assertThat(r.verdicts()).hasSize(1);
        });
        vm.open("sample skylake-sp-2s-switch", () -> Samples.load("skylake-sp-2s-switch"));
        vm.choose(a("1a:00.0"), List.of(a("1c:00.0"), a("3b:00.0"), a("1b:00.0")));
        // Two through the switch (4 each) and one through the allowlisted host bridges (6): 14.
        assertThat(vm.distanceMany().orElseThrow().distance()).isEqualTo(14);
        assertThat(vm.verdictProperty().get().client()).isEqualTo(a("1b:00.0"));   // the last client's verdict
    }

    @Test
    void togglingAnAcsBitListsEveryPairWhoseVerdictChanged() {
        vm.setPair(a("03:00.0"), a("04:00.0"));
        vm.toggleAcsBit(a("02:08.0"), Acs.RR);
        vm.toggleAcsBit(a("02:08.0"), Acs.CR);
        // Still NOT_SUPPORTED: 02:09.0 still redirects.
        assertThat(vm.verdictProperty().get().mapType()).isEqualTo(MapType.NOT_SUPPORTED);
        vm.toggleAcsBit(a("02:09.0"), Acs.RR);
        vm.toggleAcsBit(a("02:09.0"), Acs.CR);
        assertThat(vm.verdictProperty().get().mapType()).isEqualTo(MapType.BUS_ADDR);
        assertThat(vm.changedPairs()).extracting(c -> c.provider() + ">" + c.client())
                .containsExactlyInAnyOrder("0000:03:00.0>0000:04:00.0", "0000:04:00.0>0000:03:00.0");
        assertThat(vm.acsCommands()).contains("setpci -s 0000:02:09.0 ECAP_ACS+6.w=0011   # SV|UF")
                .contains("pci=disable_acs_redir=0000:02:08.0;0000:02:09.0");
        // Done with setpci on a running kernel, the provider with p2pmem (03:00.0) keeps its cached NOT_SUPPORTED;
        // 04:00.0 has no p2pmem, hence no cache, so nothing of it is stale.
        assertThat(vm.staleUntilReboot(100)).singleElement().satisfies(e -> {
            assertThat(e.provider()).isEqualTo(a("03:00.0"));
            assertThat(e.client()).isEqualTo(a("04:00.0"));
            assertThat(e.believed()).isEqualTo(MapType.NOT_SUPPORTED);
            assertThat(e.afterReboot()).isEqualTo(MapType.BUS_ADDR);
        });
        // An allowlist entry is compiled into the kernel: only a reboot (a new kernel) brings it, so no run-time view.
        vm.apply(WhatIf.allow("8086:3e30"));
        assertThat(vm.staleUntilReboot(100)).isEmpty();
    }

    @Test
    void undoRedoAndResetWalkTheEdits() {
        vm.setPair(a("03:00.0"), a("04:00.0"));
        assertThat(vm.canUndo().get()).isFalse();
        vm.apply(WhatIf.allow("8086:3e30"));
        assertThat(vm.verdictProperty().get().mapType()).isEqualTo(MapType.THRU_HOST_BRIDGE);
        // Every endpoint pair crosses a redirecting port, so all 12 ordered pairs go NOT_SUPPORTED -> THRU.
        assertThat(vm.changedPairs()).hasSize(12);
        vm.undo();
        assertThat(vm.verdictProperty().get().mapType()).isEqualTo(MapType.NOT_SUPPORTED);
        assertThat(vm.canRedo().get()).isTrue();
        vm.redo();
        assertThat(vm.verdictProperty().get().mapType()).isEqualTo(MapType.THRU_HOST_BRIDGE);
        vm.reset();
        assertThat(vm.edits()).isEmpty();
        assertThat(vm.topology()).isSameAs(vm.baselineProperty().get());
    }

    @Test
    void findProviderUsesThePublishedProviders() {
        vm.setPair(a("03:00.0"), a("04:00.0"));
        assertThat(vm.findProvider(0).chosen()).isNull();   // NOT_SUPPORTED for 04:00.0 except itself: not published
        vm.apply(WhatIf.allow("8086:3e30"));
        assertThat(vm.findProvider(0).chosen()).isEqualTo(a("03:00.0"));
    }

    /// Single edits follow the matrix incrementally; what the window shows is what a full computation gives.
    @Test
    void singleEditsFollowTheMatrixIncrementallyAndAgreeWithAFullComputation() {
        var t = dev.p2pscope.core.generate.TopologyGenerator.generate(
                dev.p2pscope.core.generate.TopologyGenerator.Spec.forEndpoints(200, 5));
        vm.show(t);
        var dsp = t.functions().stream().filter(f -> f.kind() == dev.p2pscope.core.model.DeviceKind.SWITCH_DOWN
                && !f.acs().redirects()).findFirst().orElseThrow();
        List<dev.p2pscope.core.model.Edit> steps = List.of(WhatIf.acs(dsp.address() + "=0x001d"),
                WhatIf.deny("8086:09a2"), WhatIf.cpu("AuthenticAMD:0x19"), WhatIf.acs(dsp.address() + "=none"));
        long changed = 0;
        var loaded = vm.matrixProperty().get();
        for (var edit : steps) {
            vm.apply(edit);
            var after = vm.matrixProperty().get();
            var full = dev.p2pscope.core.engine.VerdictMatrix.compute(vm.topology(), after.devices());
            assertThat(dev.p2pscope.core.engine.VerdictMatrix.countChanges(full, after)).as(edit.describe()).isZero();
            // Changed pairs are counted against the topology as loaded, whatever the edits in between.
            assertThat(new java.util.HashSet<>(vm.changedPairs())).as(edit.describe())
                    .isEqualTo(new java.util.HashSet<>(dev.p2pscope.core.engine.VerdictMatrix.diff(loaded, full)));
            changed += vm.changedPairs().size();
        }
        assertThat(changed).isPositive();
    }
}
