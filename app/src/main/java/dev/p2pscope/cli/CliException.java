package dev.p2pscope.cli;

/// A failure the CLI reports as one line on stderr with a given exit code.
public final class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
