package dev.p2pscope.core.topology;

import dev.p2pscope.core.samples.Samples;
import dev.p2pscope.core.topology.lspci.LspciDumpLoader;
import dev.p2pscope.core.topology.sysfs.SysfsLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/// Where a topology comes from, as one typed value: a bundled sample, a topology JSON file, a sysfs tree (this
/// host's `/`, a captured directory or a tarball), an lspci dump, or a file whose kind is told by its content.
///
/// The command line's source options, the window's options, Open…, Recent, drag and drop and "This host" all build
/// one of these and call [#load()] and [#describe()]; the loaders behind it are implementation details.
public sealed interface TopologySource {

    /// The option that names each kind of source, on the command line and for the window alike.
    String SAMPLE_OPTION = "--sample";
    String TOPOLOGY_OPTION = "--topology";
    String SYSFS_OPTION = "--sysfs";
    String LSPCI_OPTION = "--lspci";
    /// The four options, in the order they are listed to users.
    List<String> OPTIONS = List.of(TOPOLOGY_OPTION, SYSFS_OPTION, LSPCI_OPTION, SAMPLE_OPTION);

    /// Loads the topology, with the notices met on the way.
    ///
    /// @throws TopologyLoadException every problem found, each naming file and place; nothing was loaded
    LoadResult load() throws TopologyLoadException;

    /// A short description for headers, the status bar and the Recent menu: "sample NAME", the file's path,
    /// "sysfs PATH", "lspci dump PATH", "this host (/sys)".
    String describe();

    /// A bundled sample (see [Samples#names()]).
    record Sample(String name) implements TopologySource {
        public Sample {
            Objects.requireNonNull(name);
        }

        @Override
        public LoadResult load() throws TopologyLoadException {
            return Samples.load(name);
        }

        @Override
        public String describe() {
            return "sample " + name;
        }
    }

    /// A `p2pscope-topology/1` JSON file.
    record JsonFile(Path path) implements TopologySource {
        public JsonFile {
            Objects.requireNonNull(path);
        }

        @Override
        public LoadResult load() throws TopologyLoadException {
            return TopologyJson.read(path);
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    /// A sysfs tree: `/` for this host, a directory holding a captured `sys/`, or a `.tar.gz`/`.tar.bz2` snapshot.
    record Sysfs(Path path) implements TopologySource {
        public Sysfs {
            Objects.requireNonNull(path);
        }

        @Override
        public LoadResult load() throws TopologyLoadException {
            return SysfsLoader.load(path);
        }

        @Override
        public String describe() {
            return isThisHost() ? "this host (/sys)" : "sysfs " + path;
        }

        /// True for `/`: the running machine rather than a capture.
        public boolean isThisHost() {
            return path.toAbsolutePath().normalize().equals(Path.of("/"));
        }
    }

    /// An `lspci -xxx` or `lspci -xxxx` dump.
    record Lspci(Path path) implements TopologySource {
        public Lspci {
            Objects.requireNonNull(path);
        }

        @Override
        public LoadResult load() throws TopologyLoadException {
            return LspciDumpLoader.load(path);
        }

        @Override
        public String describe() {
            return "lspci dump " + path;
        }
    }

    /// A file or directory whose kind is told by looking at it (Open…, Recent, drag and drop): a directory or a
    /// tarball is sysfs, a file starting with `{` is topology JSON, anything else is tried as an lspci dump.
    record Detect(Path path) implements TopologySource {
        public Detect {
            Objects.requireNonNull(path);
        }

        @Override
        public LoadResult load() throws TopologyLoadException {
            return Sources.open(path);
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    static TopologySource sample(String name) {
        return new Sample(name);
    }

    static TopologySource json(Path file) {
        return new JsonFile(file);
    }

    static TopologySource sysfs(Path path) {
        return new Sysfs(path);
    }

    static TopologySource lspci(Path file) {
        return new Lspci(file);
    }

    static TopologySource detect(Path path) {
        return new Detect(path);
    }

    /// This host's sysfs.
    static TopologySource thisHost() {
        return new Sysfs(Path.of("/"));
    }

    /// The source one of [#OPTIONS] names with its value.
    ///
    /// @throws IllegalArgumentException for an option that names no source
    static TopologySource fromOption(String option, String value) {
        return switch (option) {
            case SAMPLE_OPTION -> sample(value);
            case TOPOLOGY_OPTION -> json(Path.of(value));
            case SYSFS_OPTION -> sysfs(Path.of(value));
            case LSPCI_OPTION -> lspci(Path.of(value));
            default -> throw new IllegalArgumentException(option + " names no topology source (there are "
                    + String.join(", ", OPTIONS) + ")");
        };
    }

    /// The bundled samples' names, in the gallery's order.
    static List<String> sampleNames() {
        return Samples.names();
    }

    /// What opens when nothing is named: this host when it has a PCI tree, else the first sample.
    static TopologySource hostOrFirstSample() {
        return hostHasPci() ? thisHost() : sample(Samples.names().getFirst());
    }

    /// True when this machine's sysfs lists PCI devices.
    static boolean hostHasPci() {
        try (var s = Files.list(Path.of("/sys/bus/pci/devices"))) {
            return s.findAny().isPresent();
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
