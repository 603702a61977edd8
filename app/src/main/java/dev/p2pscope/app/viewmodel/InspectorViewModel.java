package dev.p2pscope.app.viewmodel;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.NvmeCmb;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/// The Inspector tab: every fact of the selected function, grouped, each saying whether it was read or inferred,
/// under a header naming the function.
public final class InspectorViewModel {

    /// One fact: its group, name, value and where it comes from ("read", "inferred", "derived", "decoded", …).
    public record Fact(String category, String name, String value, String source) {
    }

    private final ExplorerViewModel session;
    private final ReadOnlyStringWrapper header = new ReadOnlyStringWrapper();
    private final ObservableList<Fact> facts = FXCollections.observableArrayList();

    public InspectorViewModel(ExplorerViewModel session) {
        this.session = session;
        session.selectedProperty().addListener((o, a, b) -> show());
        session.topologyProperty().addListener((o, a, t) -> show());
        show();
    }

    /// "0000:1a:00.0 · Eideticom NoLoad NVMe (CMB provider) · endpoint", or what to do when nothing is selected.
    public ReadOnlyStringProperty headerProperty() { return header.getReadOnlyProperty(); }
    public ObservableList<Fact> facts() { return facts; }

    private void show() {
        Topology t = session.topology();
        PciAddress a = session.selectedProperty().get();
        PciFunction f = t == null || a == null ? null : t.function(a).orElse(null);
        if (f == null) {
            header.set(t == null ? "No topology loaded." : "No function selected: click one on the canvas.");
            facts.clear();
            return;
        }
        header.set(f.address() + " \u00b7 " + f.displayName() + " \u00b7 " + f.kind().jsonName());
        facts.setAll(facts(t, f));
    }

    /// The facts of `f` in `t`.
    public static List<Fact> facts(Topology t, PciFunction f) {
        List<Fact> out = new ArrayList<>();
        String idSrc = f.inferred().contains("id") ? "inferred" : "read";
        String kindSrc = f.inferred().contains("kind") ? "inferred from class and nesting" : "read";
        add(out, "Identity", "BDF", f.address().toString(), "read");
        add(out, "Identity", "Vendor:device", f.id().toString(), idSrc);
        add(out, "Identity", "Name", f.displayName(), f.name() == null ? "ID only" : "read");
        add(out, "Identity", "Kind", f.kind().jsonName(), kindSrc);
        add(out, "Identity", "Class", f.classCode() == null ? "unknown" : String.format(Locale.ROOT, "0x%06x",
                f.classCode()), "read");
        add(out, "Tree", "Parent bridge", f.parent() == null ? "none (root bus " + f.address().busAddress() + ")"
                : f.parent().toString(), "read");
        add(out, "Tree", "Root bus / host bridge", t.rootBus(f).toString(), "derived");
        if (f.physfn() != null) add(out, "Tree", "Physical function", f.physfn().toString(), "read");
        if (f.secondaryBus() != null) add(out, "Tree", "Bus range", String.format(Locale.ROOT, "%02x-%02x",
                f.secondaryBus(), f.subordinateBus()), "read");
        add(out, "System", "NUMA node", f.numaNode() == null ? "unknown" : f.numaNode().toString(), "read");
        add(out, "System", "IOMMU group", f.iommuGroup() == null ? "none" : f.iommuGroup().toString(), "read");
        add(out, "System", "Driver", f.driver() == null ? "none" : f.driver(), "read");
        add(out, "System", "Block devices", f.block().isEmpty() ? "none" : String.join(", ", f.block()), "read");
        if (f.link() != null) {
            add(out, "Link", "Current", f.link().label(), "read");
            add(out, "Link", "Maximum", Optional.ofNullable(f.link().maxWidth()).map(w -> "x" + w).orElse("") + " "
                    + Optional.ofNullable(f.link().maxSpeed()).orElse(""), "read");
            add(out, "Link", "Downgraded", f.link().downgraded() ? "yes" : f.link().comparable() ? "no"
                    : "unknown (the current or maximum speed or width was not read)", "derived");
        }
        switch (f.acs()) {
            case Acs.Present p -> {
                add(out, "ACS", "Control", Acs.hex(p.control()) + " (" + Acs.bitNames(p.control()) + ")", "read");
                String[] bits = {"SV source validation", "TB translation blocking", "RR P2P request redirect",
                        "CR P2P completion redirect", "UF upstream forwarding", "EC P2P egress control",
                        "DT direct translated P2P"};
                for (int i = 0; i < bits.length; i++) {
                    add(out, "ACS", bits[i], ((p.control() >> i) & 1) == 1 ? "on" : "off", "read");
                }
                Integer cap = p.capability() != null ? p.capability() : f.acsCap();
                if (cap != null) add(out, "ACS", "Capability", Acs.hex(cap) + " (" + Acs.bitNames(cap) + ")", "read");
                add(out, "ACS", "Redirects P2P", p.redirects() ? "yes (RR, CR or EC)" : "no", "derived");
            }
            case Acs.Absent a -> add(out, "ACS", "Capability", "none", "read");
            case Acs.Unknown u -> add(out, "ACS", "Capability", "unknown: config space not readable (run as root)",
                    "inferred");
        }
        if (f.p2pmem() != null) {
            add(out, "p2pmem", "Size", size(f.p2pmem().size()), "read");
            add(out, "p2pmem", "Available", size(f.p2pmem().available()), "read");
            add(out, "p2pmem", "Published", f.p2pmem().published() ? "yes (find-provider can pick it)" : "no", "read");
            add(out, "p2pmem", "allocate file", f.p2pmem().allocate() ? "present (kernel 6.2+)" : "absent", "read");
        }
        if (f.cmb() != null) {
            NvmeCmb c = f.cmb();
            add(out, "NVMe CMB", "CMBLOC", c.cmblocHex(), "read");
            add(out, "NVMe CMB", "CMBSZ", c.cmbszHex(), "read");
            add(out, "NVMe CMB", "Size", size(c.sizeBytes()), "decoded");
            add(out, "NVMe CMB", "BAR / offset", "BAR " + c.bar() + " + " + c.offsetBytes(), "decoded");
            add(out, "NVMe CMB", "Supports", c.supportBits(), "decoded");
            add(out, "NVMe CMB", "Published by the driver", c.publishable() ? "yes (RDS and WDS)" : "no (needs RDS+WDS)",
                    "derived");
        }
        if (f.note() != null) add(out, "Notes", "Note", f.note(), "file");
        return out;
    }

    private static void add(List<Fact> out, String category, String name, String value, String source) {
        out.add(new Fact(category, name, value, source));
    }

    /// A size in the largest binary unit that divides it exactly, else with one decimal and the byte count.
    static String size(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        int[] shifts = {30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes >= unit && bytes % unit == 0) return (bytes / unit) + " " + units[i];
        }
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes >= unit) return String.format(Locale.ROOT, "%.1f %s (%d bytes)", (double) bytes / unit, units[i], bytes);
        }
        return bytes + " bytes";
    }
}
