package dev.p2pscope.app;

import javafx.application.Application;

import java.nio.file.Path;

/// Starts the JavaFX explorer (called by reflection from `dev.p2pscope.Main`, so the CLI never links JavaFX).
public final class ExplorerLauncher {

    private ExplorerLauncher() {
    }

    /// The launcher script selects JavaFX's headless platform when no window can be shown (no display, or no GTK).
    static boolean noDisplay() {
        return "Headless".equalsIgnoreCase(System.getProperty("glass.platform"));
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
        dev.p2pscope.StartTrace.mark("launching JavaFX");
        Application.launch(ExplorerApp.class);
        return ExplorerApp.exitCode;
    }
}
