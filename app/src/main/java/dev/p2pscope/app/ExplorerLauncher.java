package dev.p2pscope.app;

import javafx.application.Application;

import dev.p2pscope.core.topology.LoadResult;
import dev.p2pscope.core.topology.TopologySource;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/// Starts the JavaFX explorer (called by reflection from `dev.p2pscope.Main`, so the CLI never links JavaFX).
public final class ExplorerLauncher {

    private ExplorerLauncher() {
    }

    /// The launcher script selects JavaFX's headless platform when no window can be shown (no display, or no GTK).
    static boolean noDisplay() {
        return "Headless".equalsIgnoreCase(System.getProperty("glass.platform"));
    }

    /// Starts loading the window's first topology on a thread of its own while JavaFX starts and the window is
    /// built (those take the JavaFX thread; a machine of this kind has a second core): the window's first frame
    /// comes that much sooner. Choosing the source (this host or the first sample) looks at sysfs, so it is done
    /// here too, off the JavaFX thread. [ExplorerApp] hands the result to the view model as its first load.
    static FirstLoad startLoading(TopologySource source) {
        FutureTask<LoadResult> task = new FutureTask<>(() -> {
            LoadResult r = source.load();
            dev.p2pscope.StartTrace.mark("first topology loaded, in the background");
            return r;
        });
        Thread t = new Thread(task, "p2pscope-first-load");
        t.setDaemon(true);
        t.start();
        return new FirstLoad(source, task);
    }

    /// The window's first topology, loading since the launch.
    record FirstLoad(TopologySource source, Future<LoadResult> result) {
        /// Waits for the load; its failure is the load's own exception, as if `source.load()` had been called.
        LoadResult await() throws Exception {
            try {
                return result.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception x) throw x;
                if (e.getCause() instanceof Error x) throw x;
                throw e;
            }
        }
    }

    /// Opens the window; returns the process exit code when it closes (or when a screenshot is done).
    public static int launch(String[] args) {
        WindowOptions options;
        try {
            options = WindowOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("p2pscope: " + e.getMessage());
            return 2;
        }
        if (noDisplay() && options.screenshot() == null && !options.benchRender()) {
            // Nobody could see a window on the headless platform: render it to a picture instead, and say so.
            Path shot = Path.of(System.getProperty("java.io.tmpdir"), "p2pscope-window.png");
            System.err.println("p2pscope: the window cannot be shown here (" + System.getProperty("p2pscope.noWindow",
                    "JavaFX runs headless") + "), so it is rendered to " + shot + " instead. For the live window run "
                    + "it on a desktop, over ssh -X, or under xvfb-run; the command line works anywhere "
                    + "(p2pscope --help).");
            options = options.withScreenshot(shot);
        }
        ExplorerApp.options = options;
        ExplorerApp.launchedNanos = dev.p2pscope.StartTrace.processStartNanos();
        ExplorerApp.firstLoad = startLoading(options.sourceOrDefault());
        dev.p2pscope.StartTrace.mark("launching JavaFX");
        Application.launch(ExplorerApp.class);
        return ExplorerApp.exitCode;
    }
}
