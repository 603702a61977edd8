package dev.p2pscope.core.topology;

import dev.p2pscope.core.topology.sysfs.ArchiveTree;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/// Opens any supported source by looking at it: a directory or a tarball is sysfs, a file starting with `{` is
/// topology JSON, anything else is tried as an lspci dump. The implementation of [TopologySource.Detect].
final class Sources {

    private Sources() {
    }

    static LoadResult open(Path path) throws TopologyLoadException {
        if (Files.isDirectory(path) || ArchiveTree.isArchive(path)) return TopologySources.sysfs(path);
        InputFiles.requireRegularFile(path);
        try (InputStream in = Files.newInputStream(path)) {
            int c;
            do {
                c = in.read();
            } while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xef || c == 0xbb || c == 0xbf);
            if (c == '{') return TopologyJson.read(path);
            if (c == 0x1f || c == 'B') return TopologySources.sysfs(path);   // gzip or bzip2 without a known suffix
        } catch (IOException e) {
            throw new TopologyLoadException(path.toString(), "cannot read: " + dev.p2pscope.core.text.IoText.reason(e));
        }
        return TopologySources.lspci(path);
    }
}
