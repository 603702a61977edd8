package dev.p2pscope.app;

import dev.p2pscope.app.concurrent.FxTaskRunner;
import dev.p2pscope.app.concurrent.ImmediateTaskRunner;
import dev.p2pscope.app.concurrent.TaskRunner;
import dev.p2pscope.StartTrace;
import dev.p2pscope.app.view.MainView;
import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;

import javax.imageio.ImageIO;
import java.nio.file.Path;
import java.util.prefs.Preferences;

/// The JavaFX application: one window with the explorer. Opens this host's sysfs when it has a PCI tree,
/// otherwise the first sample; or what the command line names.
public final class ExplorerApp extends Application {

    static volatile WindowOptions options = WindowOptions.parse(new String[0]);
    static volatile int exitCode;
    /// When the launcher started, for the time-to-first-frame probe.
    static volatile long launchedNanos = System.nanoTime();
    /// The first topology, loading since [ExplorerLauncher] started it (null: load it when the window opens).
    static volatile ExplorerLauncher.FirstLoad firstLoad;

    @Override
    public void start(Stage stage) {
        StartTrace.mark("JavaFX started: Application.start");
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> System.err.println("p2pscope: unexpected error: " + e));
        try {
            open(stage);
        } catch (RuntimeException e) {
            // Never a stack trace: one line, and the internal-error exit code.
            System.err.println("p2pscope: the window failed to start: " + e);
            exitCode = 1;
            Platform.exit();
        }
    }

    /// Ends the run with a usage error, in the command line's words and exit code.
    private static void usage(String message) {
        System.err.println("p2pscope: " + message);
        exitCode = 2;
        Platform.exit();
    }

    private void open(Stage stage) {
        WindowOptions o = options;
        boolean headlessRun = o.screenshot() != null || o.benchRender();
        // A screenshot loads synchronously so the picture shows the loaded state; the window loads in background,
        // and so does the render benchmark, which measures what a user of the window waits for.
        TaskRunner runner = o.screenshot() != null ? new ImmediateTaskRunner() : new FxTaskRunner();
        Preferences prefs = Preferences.userNodeForPackage(ExplorerApp.class);
        ExplorerViewModel vm = new ExplorerViewModel(runner);
        StartTrace.mark("view model");
        MainView view = new MainView(vm, headlessRun ? Preferences.userRoot().node("p2pscope-headless") : prefs, runner);
        Scene scene = new Scene(view, prefs.getDouble("w", 1480), prefs.getDouble("h", 920));
        view.installShortcuts(scene);
        StartTrace.mark("main view and scene");
        if ("dark".equals(o.theme())) {
            scene.getStylesheets().add(getClass().getResource(MainView.DARK).toExternalForm());
        }
        stage.setTitle("P2PScope \u2014 PCIe peer-to-peer DMA explorer");
        stage.setScene(scene);
        if (headlessRun) {
            stage.setWidth(1480);
            stage.setHeight(920);
        } else {
            stage.setX(prefs.getDouble("x", 40));
            stage.setY(prefs.getDouble("y", 40));
            stage.setOnCloseRequest(e -> {
                prefs.putDouble("x", stage.getX());
                prefs.putDouble("y", stage.getY());
                prefs.putDouble("w", stage.getWidth());
                prefs.putDouble("h", stage.getHeight());
            });
        }
        // The pair and the tab are applied once the topology is there (at once for a screenshot, later for a
        // window that loads in the background); the tab last, so that selecting the pair cannot move it.
        java.util.function.Consumer<dev.p2pscope.core.model.Topology> loaded = t -> {
            String problem = applyOptions(o, vm, view);
            if (problem != null) usage(problem);
        };
        ExplorerLauncher.FirstLoad first = firstLoad;
        firstLoad = null;
        if (first != null) {
            vm.open(first.source().describe(), first::await);
        } else {
            vm.open(o.sourceOrDefault());
        }
        StartTrace.mark("open" + (vm.topology() == null ? "ing the topology" : "ed the topology"));
        if (vm.topology() != null) {
            loaded.accept(vm.topology());
        } else {
            vm.topologyProperty().addListener(new javafx.beans.value.ChangeListener<>() {
                @Override
                public void changed(javafx.beans.value.ObservableValue<? extends dev.p2pscope.core.model.Topology> obs,
                                    dev.p2pscope.core.model.Topology a, dev.p2pscope.core.model.Topology t) {
                    if (t == null) return;
                    obs.removeListener(this);
                    loaded.accept(t);
                }
            });
        }
        if (exitCode == 2) return;
        stage.show();
        StartTrace.mark("stage shown");
        if (StartTrace.ON) {
            new AnimationTimer() {
                @Override
                public void handle(long now) {
                    StartTrace.mark("first pulse");
                    stop();
                }
            }.start();
            scene.addPostLayoutPulseListener(new Runnable() {
                @Override
                public void run() {
                    StartTrace.mark("first layout done");
                    scene.removePostLayoutPulseListener(this);
                }
            });
        }
        Platform.runLater(() -> view.canvas().fitOrFocus());
        if (o.screenshot() != null) {
            if (vm.errorProperty().get() != null) {
                System.err.println(vm.errorProperty().get());
                exitCode = 3;
                Platform.exit();
                return;
            }
            Platform.runLater(() -> Platform.runLater(() -> screenshot(scene, view, o.screenshot())));
        } else if (o.benchRender()) {
            RenderBench.start(scene, view, vm, launchedNanos, System.out::println);
        }
    }

    /// Applies `--select` and `--tab` to a window whose topology is loaded: the pair first, then the tab, so that
    /// choosing the pair cannot take the user off the tab they asked for.
    ///
    /// @return the usage error (the CLI's words) when the pair is not in the topology; nothing is changed then
    public static String applyOptions(WindowOptions o, ExplorerViewModel vm, MainView view) {
        String problem = o.selectionProblem(vm.topology());
        if (problem != null) return problem;
        if (o.selectProvider() != null) vm.setPair(o.selectProvider(), o.selectClient());
        if (o.tab() != null) view.selectTab(o.tab());
        return null;
    }

    private static void screenshot(Scene scene, MainView view, Path out) {
        try {
            view.canvas().fitOrFocus();
            view.canvas().play();
            scene.getRoot().applyCss();
            scene.getRoot().layout();
            WritableImage img = scene.snapshot(null);
            ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", out.toFile());
            System.out.println("wrote " + out + " (" + (int) img.getWidth() + "x" + (int) img.getHeight() + ")");
            exitCode = 0;
        } catch (Exception e) {
            System.err.println("p2pscope: screenshot failed: " + e);
            exitCode = 1;
        }
        Platform.exit();
    }
}
