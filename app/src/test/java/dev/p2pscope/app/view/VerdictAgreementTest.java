package dev.p2pscope.app.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.p2pscope.app.concurrent.ImmediateTaskRunner;
import dev.p2pscope.app.render.TreeLayout;
import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.cli.P2pCommand;
import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.model.BusAddress;
import dev.p2pscope.core.model.Edit;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.samples.Samples;
import dev.p2pscope.core.whatif.WhatIf;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.input.Clipboard;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationTest;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.prefs.Preferences;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/// One decision, one place: the window and the command line say and draw the same thing for the same pair.
class VerdictAgreementTest extends ApplicationTest {

    private ExplorerViewModel vm;
    private MainView view;
    private final FxRobot robot = this;

    @Override
    public void start(Stage stage) {
        vm = new ExplorerViewModel(new ImmediateTaskRunner());
        view = new MainView(vm, Preferences.userRoot().node("p2pscope-test"), new ImmediateTaskRunner());
        view.canvas().hopDurationProperty().set(Duration.ZERO);
        stage.setScene(new Scene(view, 1200, 800));
        stage.show();
    }

    private static String cli(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = P2pCommand.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    /// For every sample and every pair its lesson's tour names (with the step's what-if edits), the window's Copy
    /// text is exactly what `p2pscope check` prints.
    @Test
    void checkTextEqualsTheWindowsCopyTextForEveryToursPair() throws Exception {
        int compared = 0;
        for (String name : Samples.names()) {
            Topology t = Samples.load(name).topology();
            for (Map<String, Object> step : tour(t)) {
                List<String> args = new ArrayList<>(List.of("check", "--sample", name,
                        "--provider", (String) step.get("provider"), "--client", (String) step.get("client")));
                List<Edit> edits = edits(step, args);
                String checkText = cli(args);
                String[] copied = new String[1];
                robot.interact(() -> {
                    vm.show(t);
                    edits.forEach(vm::apply);
                    vm.setPair(PciAddress.parse((String) step.get("provider")),
                            PciAddress.parse((String) step.get("client")));
                    view.verdict.copy.fire();
                    copied[0] = Clipboard.getSystemClipboard().getString();
                });
                assertThat(copied[0]).as(name + ": " + step.get("says")).isEqualTo(checkText);
                compared++;
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(24);
    }

    /// With several clients the window shows `distance_many` and a route for each: its Copy text carries them
    /// all, exactly as `p2pscope check --client A,B,C` prints them, not only the last client's verdict.
    @Test
    void copyTextOfSeveralClientsIsChecksDistanceManyText() throws Exception {
        Topology t = Samples.load("skylake-sp-2s-switch").topology();
        PciAddress p = PciAddress.parse("0000:1a:00.0");
        List<PciAddress> cs = List.of(PciAddress.parse("0000:1c:00.0"), PciAddress.parse("0000:86:00.0"),
                PciAddress.parse("0000:1d:00.0"));
        String checkText = cli(List.of("check", "--sample", "skylake-sp-2s-switch", "--provider", p.toString(),
                "--client", "0000:1c:00.0,0000:86:00.0,0000:1d:00.0"));
        String[] copied = new String[2];
        robot.interact(() -> {
            vm.show(t);
            vm.choose(p, cs);
            copied[0] = view.verdict.many.getText();
            view.verdict.copy.fire();
            copied[1] = Clipboard.getSystemClipboard().getString();
        });
        assertThat(copied[0]).as("the window shows distance_many").startsWith("distance_many: 14");
        assertThat(copied[1]).isEqualTo(checkText);
        for (PciAddress c : cs) assertThat(copied[1]).contains("client    " + c);
        assertThat(copied[1]).contains("distance_many  14");
    }

    /// For an ACS-redirected pair the data goes up through the host bridge although the kernel's path runs
    /// through the switch: the canvas, the SVG export and `check --json`'s route agree hop for hop.
    @Test
    void canvasSvgAndCheckJsonDrawTheSameRouteForAnAcsRedirectedPair(@TempDir Path dir) throws Exception {
        PciAddress p = PciAddress.parse("0000:03:00.0");
        PciAddress c = PciAddress.parse("0000:04:00.0");
        Topology t = WhatIf.apply(Samples.load("acs-redirect-switch").topology(), List.of(WhatIf.allow("8086:3e30")));
        Path svg = dir.resolve("route.svg");
        robot.interact(() -> {
            vm.show(t);
            vm.setPair(p, c);
            try {
                view.exportSvg(svg);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Verdict v = vm.verdictProperty().get();
        assertThat(v.mapType()).isEqualTo(MapType.THRU_HOST_BRIDGE);
        assertThat(v.details().commonAncestor()).isEqualTo(PciAddress.parse("0000:01:00.0"));
        List<Point2D> canvas = view.canvas().route(v);

        // check --json's route, placed on the same layout.
        JsonNode json = new ObjectMapper().readTree(cli(List.of("check", "--sample", "acs-redirect-switch",
                "--provider", p.toString(), "--client", c.toString(), "--allow", "8086:3e30", "--json")));
        TreeLayout.Layout layout = view.canvas().treeLayout();
        List<Point2D> fromJson = new ArrayList<>();
        List<String> hops = new ArrayList<>();
        for (JsonNode h : json.get("route")) {
            hops.add(h.get("hop").asText());
            TreeLayout.Box b = h.get("hop").asText().equals("host_bridge")
                    ? layout.ofRootBus(busOf(h.get("rootBus").asText()))
                    : layout.of(PciAddress.parse(h.get("function").asText()));
            fromJson.add(new Point2D(b.centerX(), b.centerY()));
        }
        assertThat(hops).containsExactly("provider", "up", "up", "up", "host_bridge", "down", "down", "down",
                "client");
        assertThat(canvas).isEqualTo(fromJson);

        // The SVG export's polyline.
        Matcher m = Pattern.compile("<polyline class=\"route\"[^>]*? points=\"([^\"]*)\"").matcher(Files.readString(svg));
        assertThat(m.find()).isTrue();
        List<Point2D> fromSvg = new ArrayList<>();
        for (String xy : m.group(1).trim().split("\\s+")) {
            String[] a = xy.split(",");
            fromSvg.add(new Point2D(Double.parseDouble(a[0]), Double.parseDouble(a[1])));
        }
        // The SVG draws the line the canvas draws (orthogonal, along the tree's links) ...
        List<Point2D> drawn = view.canvas().routeLine(v);
        assertThat(fromSvg).hasSameSizeAs(drawn);
        for (int i = 0; i < drawn.size(); i++) {
            assertThat(fromSvg.get(i).distance(drawn.get(i))).as("point " + i).isLessThan(0.06);
        }
        // ... and that line passes through every hop of the route, in order.
        int at = 0;
        for (int i = 0; i < canvas.size(); i++) {
            while (at < fromSvg.size() && fromSvg.get(at).distance(canvas.get(i)) >= 0.06) at++;
            assertThat(at).as("hop " + i + " on the SVG route, in order").isLessThan(fromSvg.size());
        }
    }

    private static BusAddress busOf(String text) {
        String[] a = text.split(":");
        return new BusAddress(Integer.parseInt(a[0], 16), Integer.parseInt(a[1], 16));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tour(Topology t) {
        Object tour = t.extra().get("tour");
        return tour == null ? List.of() : (List<Map<String, Object>>) tour;
    }

    /// The step's what-if edits, also added to `args` as the CLI's options.
    @SuppressWarnings("unchecked")
    private static List<Edit> edits(Map<String, Object> step, List<String> args) {
        Map<String, Object> w = (Map<String, Object>) step.getOrDefault("whatIf", Map.of());
        List<String> acs = new ArrayList<>();
        ((Map<String, String>) w.getOrDefault("acs", Map.of())).forEach((k, v) -> acs.add(k + "=" + v));
        if (w.get("kernel") != null) args.addAll(List.of("--kernel", (String) w.get("kernel")));
        if (w.get("cpu") != null) args.addAll(List.of("--cpu", (String) w.get("cpu")));
        for (String a : (List<String>) w.getOrDefault("allow", List.of())) args.addAll(List.of("--allow", a));
        for (String d : (List<String>) w.getOrDefault("deny", List.of())) args.addAll(List.of("--deny", d));
        for (String a : acs) args.addAll(List.of("--acs", a));
        return WhatIf.of((String) w.get("kernel"), (String) w.get("cpu"), (List<String>) w.get("allow"),
                (List<String>) w.get("deny"), acs);
    }
}
