package dev.p2pscope.core.topology.sysfs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/// One directory's names with their types, as [DiskTree] keeps them after listing it once: the names sorted (as
/// [FileTree#list] returns them) and looked up by binary search, each type one byte beside its name.
///
/// A 10,000-function tree keeps about 11,000 listings of ~14 names each. Kept as hash maps, they were a third of
/// the load's live heap (a map, its table and a node per name, and a fresh string per name although most names
/// are the same few dozen attribute names in every function's directory): every young collection copied them.
/// Here a listing is two arrays, and the names sysfs repeats in every device directory are one shared string each
/// ([#name]).
///
/// Safe for several threads: the names never change; a type found later for a name the file system did not type
/// ([#learn]) is one byte written without a lock, and a thread that does not see it yet looks it up again.
final class Listing {

    /// In a listing: a name whose type is not known yet (the file system did not say; looked up when asked).
    private static final byte UNKNOWN = -1;
    private static final FileTree.Type[] TYPES = FileTree.Type.values();

    /// Stands for a directory whose listing is not kept (too large, or not a readable directory).
    static final Listing NOT_KEPT = new Listing(new String[0], new byte[0]);

    private final String[] names;
    private final byte[] types;

    private Listing(String[] names, byte[] types) {
        this.names = names;
        this.types = types;
    }

    int size() {
        return names.length;
    }

    /// The names, sorted.
    List<String> names() {
        return List.of(names);
    }

    /// The type of `name`: null when the directory has no such name, [DiskTree#UNKNOWN_TYPE] when the file
    /// system did not say what it is.
    FileTree.Type type(String name) {
        int i = Arrays.binarySearch(names, name);
        if (i < 0) return null;
        byte t = types[i];
        return t == UNKNOWN ? DiskTree.UNKNOWN_TYPE : TYPES[t];
    }

    /// Records the type of `name` once looked up (for a name listed without one).
    void learn(String name, FileTree.Type type) {
        int i = Arrays.binarySearch(names, name);
        if (i >= 0) types[i] = (byte) type.ordinal();
    }

    /// Collects the names of one directory in the order the file system gives them.
    static final class Builder {
        private String[] names = new String[16];
        private byte[] types = new byte[16];
        private int n;

        int size() {
            return n;
        }

        /// Adds `name`, with its type or null when the file system did not say.
        void add(String name, FileTree.Type type) {
            if (n == names.length) {
                names = Arrays.copyOf(names, n * 2);
                types = Arrays.copyOf(types, n * 2);
            }
            names[n] = name;
            types[n] = type == null ? UNKNOWN : (byte) type.ordinal();
            n++;
        }

        Listing build() {
            String[] sortedNames = Arrays.copyOf(names, n);
            byte[] sortedTypes = Arrays.copyOf(types, n);
            if (n <= 64) {   // a device directory: insertion sort of both arrays together, no allocation
                for (int i = 1; i < n; i++) {
                    String name = sortedNames[i];
                    byte type = sortedTypes[i];
                    int j = i - 1;
                    while (j >= 0 && sortedNames[j].compareTo(name) > 0) {
                        sortedNames[j + 1] = sortedNames[j];
                        sortedTypes[j + 1] = sortedTypes[j];
                        j--;
                    }
                    sortedNames[j + 1] = name;
                    sortedTypes[j + 1] = type;
                }
            } else if (sameType(sortedTypes)) {   // bus/pci/devices (all links), devices/ (all directories)
                Arrays.sort(sortedNames);
            } else {   // any other large directory: sort positions by name
                Integer[] order = new Integer[n];
                for (int i = 0; i < n; i++) order[i] = i;
                Arrays.sort(order, (a, b) -> names[a].compareTo(names[b]));
                for (int i = 0; i < n; i++) {
                    sortedNames[i] = names[order[i]];
                    sortedTypes[i] = types[order[i]];
                }
            }
            // Two names on disk can decode to one string (bytes that are not UTF-8 both become U+FFFD): keep it
            // once, with the type added last, as a map would. The sorts above are stable, so that is the last of
            // its run.
            int kept = 0;
            for (int i = 0; i < n; i++) {
                if (kept > 0 && sortedNames[kept - 1].equals(sortedNames[i])) {
                    sortedTypes[kept - 1] = sortedTypes[i];
                } else {
                    sortedNames[kept] = sortedNames[i];
                    sortedTypes[kept] = sortedTypes[i];
                    kept++;
                }
            }
            if (kept < n) {
                sortedNames = Arrays.copyOf(sortedNames, kept);
                sortedTypes = Arrays.copyOf(sortedTypes, kept);
            }
            return new Listing(sortedNames, sortedTypes);
        }

        private static boolean sameType(byte[] types) {
            for (byte t : types) {
                if (t != types[0]) return false;
            }
            return true;
        }
    }

    /// Names found in nearly every PCI device directory of sysfs (and the facts file our own exporter writes):
    /// [#name] answers these with one shared string each instead of a new one per directory.
    private static final String[] COMMON = {
        "acpi_index", "aer_dev_correctable", "aer_dev_fatal", "aer_dev_nonfatal", "ari_enabled",
        "broken_parity_status", "class", "config", "consistent_dma_mask_bits", "current_link_speed",
        "current_link_width", "d3cold_allowed", "device", "dma_mask_bits", "driver", "driver_override", "enable",
        "firmware_node", "iommu", "iommu_group", "irq", "label", "link", "local_cpulist", "local_cpus",
        "max_link_speed", "max_link_width", "modalias", "msi_bus", "msi_irqs", "numa_node", "nvme", "p2pmem",
        "p2pscope_facts", "pci_bus", "physfn", "power", "power_state", "remove", "rescan", "reset", "reset_method",
        "resource", "resource0", "resource1", "resource2", "resource3", "resource4", "resource5", "revision", "rom",
        "secondary_bus_number", "subordinate_bus_number", "subsystem", "subsystem_device", "subsystem_vendor",
        "uevent", "vendor", "vpd", "wakeup", "allocate", "available", "published", "size",
    };
    private static final int SLOTS = 256;   // a power of two, over twice the names above
    private static final String[] TABLE = new String[SLOTS];
    private static final byte[][] TABLE_BYTES = new byte[SLOTS][];

    static {
        for (String s : COMMON) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            int slot = hash(b, b.length);
            while (TABLE[slot] != null) slot = (slot + 1) & (SLOTS - 1);
            TABLE[slot] = s;
            TABLE_BYTES[slot] = b;
        }
    }

    private static int hash(byte[] b, int len) {
        int h = len;
        for (int i = 0; i < len; i++) h = h * 31 + b[i];
        return (h ^ (h >>> 8)) & (SLOTS - 1);
    }

    /// The name in the first `len` bytes of `bytes` (UTF-8, as the kernel stores it): a shared string for a
    /// common sysfs name, else a new one.
    static String name(byte[] bytes, int len) {
        if (len <= 32) {
            for (int slot = hash(bytes, len); TABLE[slot] != null; slot = (slot + 1) & (SLOTS - 1)) {
                byte[] known = TABLE_BYTES[slot];
                if (known.length == len && Arrays.equals(known, 0, len, bytes, 0, len)) return TABLE[slot];
            }
        }
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }
}
