package dev.p2pscope.core.topology;

import java.nio.file.Path;

/// Entry points for every topology source other than JSON: sysfs trees (live, captured, tarballs) and lspci dumps.
public final class TopologySources {

    private TopologySources() {
    }

    public static LoadResult sysfs(Path path) throws TopologyLoadException {
        throw new TopologyLoadException(path.toString(), "sysfs loading is not in this build yet");
    }

    public static LoadResult lspci(Path path) throws TopologyLoadException {
        throw new TopologyLoadException(path.toString(), "lspci dumps are not in this build yet");
    }
}
