package dev.p2pscope.app;

import javafx.application.Application;

/// Starts the JavaFX explorer (called by reflection from `dev.p2pscope.Main`, so the CLI never links JavaFX).
public final class ExplorerLauncher {

    private ExplorerLauncher() {
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
        ExplorerApp.options = options;
        ExplorerApp.launchedNanos = System.nanoTime();
        Application.launch(ExplorerApp.class);
        return ExplorerApp.exitCode;
    }
}
