package dev.p2pscope;

import java.lang.reflect.InvocationTargetException;

/// Opens the explorer window through reflection, so that the command-line path never links a JavaFX class.
final class Window {

    static final String LAUNCHER = "dev.p2pscope.app.ExplorerLauncher";

    private Window() {
    }

    static int open(String[] args) {
        try {
            Class<?> c = Class.forName(LAUNCHER);
            Object code = c.getMethod("launch", String[].class).invoke(null, (Object) args);
            return (Integer) code;
        } catch (ClassNotFoundException e) {
            System.err.println("p2pscope: this build has no explorer window; use a subcommand (p2pscope --help).");
            return 1;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            System.err.println("p2pscope: the window failed to start: " + cause);
            return 1;
        } catch (ReflectiveOperationException e) {
            System.err.println("p2pscope: the window failed to start: " + e);
            return 1;
        }
    }
}
