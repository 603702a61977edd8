package dev.p2pscope.app;

import javafx.application.Application;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/// Starts the JavaFX explorer (called by reflection from `dev.p2pscope.Main`, so the CLI never links JavaFX).
public final class ExplorerLauncher {

    private ExplorerLauncher() {
    }

    /// The launcher script selects JavaFX's headless platform when no window can be shown (no display, or no GTK).
    static boolean noDisplay() {
        return "Headless".equalsIgnoreCase(System.getProperty("glass.platform"));
    }

    /// When this process started, on the [System#nanoTime()] scale: `--bench-render`'s "time to first frame" then
    /// counts the JVM's own start too (./p2pscope execs java, so the process started with the command). Falls back
    /// to now where the start time is unknown.
    static long processStartNanos() {
        long now = System.nanoTime();
        return ProcessHandle.current().info().startInstant()
                .map(start -> now - Duration.between(start, Instant.now()).toNanos())
                .orElse(now);
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
        ExplorerApp.launchedNanos = processStartNanos();
        Application.launch(ExplorerApp.class);
        return ExplorerApp.exitCode;
    }
}
