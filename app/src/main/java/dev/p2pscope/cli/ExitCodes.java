package dev.p2pscope.cli;

/// The exit codes of `../shared/spec/cli.md`.
public final class ExitCodes {
    /// Success.
    public static final int OK = 0;
    /// Internal error (a bug).
    public static final int INTERNAL = 1;
    /// Usage error (picocli's), including a BDF that is not in the topology.
    public static final int USAGE = 2;
    /// Bad input: a topology, snapshot or dump that cannot be read.
    public static final int BAD_INPUT = 3;
    /// A live operation that was refused or failed.
    public static final int LIVE_REFUSED = 4;

    private ExitCodes() {
    }
}
