package dev.p2pscope.core.topology;

import dev.p2pscope.core.topology.lspci.LspciDumpLoader;
import dev.p2pscope.core.topology.sysfs.SysfsLoader;

import java.nio.file.Path;

/// The loaders behind [TopologySource] other than JSON: sysfs trees (live, captured, tarballs) and lspci dumps.
final class TopologySources {

    private TopologySources() {
    }

    /// A sysfs tree: `/` for this host, a directory holding a captured `sys/`, or a `.tar.gz`/`.tar.bz2` snapshot.
    static LoadResult sysfs(Path path) throws TopologyLoadException {
        return SysfsLoader.load(path);
    }

    /// An `lspci -xxx` or `lspci -xxxx` dump.
    static LoadResult lspci(Path path) throws TopologyLoadException {
        return LspciDumpLoader.load(path);
    }
}
