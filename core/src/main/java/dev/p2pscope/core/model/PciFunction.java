package dev.p2pscope.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/// One PCI function and everything P2PScope knows about it. Immutable; build with [#builder].
///
/// Optional facts are null when unknown (`classCode`, `name`, `numaNode`, `iommuGroup`, `link`, `driver`,
/// `p2pmem`, `cmb`, `note`, and a bridge's `secondaryBus`/`subordinateBus` as its config space gives them). `inferred` names facts that a loader deduced rather than read (for example `kind`
/// from the class code, or `acs` when config space was unreadable). `extra` keeps keys of the topology file
/// that this version does not know, so they survive a round trip.
public record PciFunction(
        PciAddress address,
        PciId id,
        DeviceKind kind,
        PciAddress parent,
        PciAddress physfn,
        Acs acs,
        Integer acsCap,
        Integer classCode,
        String name,
        Integer numaNode,
        Integer iommuGroup,
        Link link,
        String driver,
        List<String> block,
        P2pMem p2pmem,
        NvmeCmb cmb,
        String note,
        Integer secondaryBus,
        Integer subordinateBus,
        Set<String> inferred,
        Map<String, Object> extra) {

    public PciFunction {
        if (address == null || id == null || kind == null) {
            throw new IllegalArgumentException("a PCI function needs an address, an ID and a kind");
        }
        acs = acs == null ? Acs.ABSENT : acs;
        block = block == null ? List.of() : List.copyOf(block);
        inferred = inferred == null ? Set.of() : Set.copyOf(new TreeSet<>(inferred));
        extra = extra == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    public static Builder builder(PciAddress address, PciId id, DeviceKind kind) {
        return new Builder(address, id, kind);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /// A copy with another ACS state (what-if edits).
    public PciFunction withAcs(Acs newAcs) {
        return toBuilder().acs(newAcs).build();
    }

    /// The name to show: the file's or loader's name, else the vendor:device ID.
    public String displayName() {
        return name != null && !name.isBlank() ? name : id.toString();
    }

    /// False when the vendor:device ID could not be read (no `vendor`/`device`, config or `modalias` file): the
    /// ID shown (ffff:ffff) is a stand-in, and anything that depends on it, such as the host-bridge allowlist,
    /// cannot be decided.
    public boolean idKnown() {
        return !inferred.contains("id");
    }

    /// True when this function has published p2pmem (a candidate for `pci_p2pmem_find_many()`).
    public boolean publishesP2pMem() {
        return p2pmem != null && p2pmem.published() && p2pmem.size() > 0;
    }

    /// Mutable builder for [PciFunction].
    public static final class Builder {
        private PciAddress address;
        private PciId id;
        private DeviceKind kind;
        private PciAddress parent;
        private PciAddress physfn;
        private Acs acs = Acs.ABSENT;
        private Integer acsCap;
        private Integer classCode;
        private String name;
        private Integer numaNode;
        private Integer iommuGroup;
        private Link link;
        private String driver;
        private List<String> block = List.of();
        private P2pMem p2pmem;
        private NvmeCmb cmb;
        private String note;
        private Integer secondaryBus;
        private Integer subordinateBus;
        private Set<String> inferred = Set.of();
        private Map<String, Object> extra = Map.of();

        private Builder(PciAddress address, PciId id, DeviceKind kind) {
            this.address = address;
            this.id = id;
            this.kind = kind;
        }

        private Builder(PciFunction f) {
            address = f.address; id = f.id; kind = f.kind; parent = f.parent; physfn = f.physfn; acs = f.acs;
            acsCap = f.acsCap; classCode = f.classCode; name = f.name; numaNode = f.numaNode;
            iommuGroup = f.iommuGroup; link = f.link; driver = f.driver; block = f.block; p2pmem = f.p2pmem;
            cmb = f.cmb; note = f.note; secondaryBus = f.secondaryBus; subordinateBus = f.subordinateBus;
            inferred = f.inferred; extra = f.extra;
        }

        public Builder address(PciAddress v) { address = v; return this; }
        public Builder id(PciId v) { id = v; return this; }
        public Builder kind(DeviceKind v) { kind = v; return this; }
        public Builder parent(PciAddress v) { parent = v; return this; }
        public Builder physfn(PciAddress v) { physfn = v; return this; }
        public Builder acs(Acs v) { acs = v; return this; }
        public Builder acsCap(Integer v) { acsCap = v; return this; }
        public Builder classCode(Integer v) { classCode = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder numaNode(Integer v) { numaNode = v; return this; }
        public Builder iommuGroup(Integer v) { iommuGroup = v; return this; }
        public Builder link(Link v) { link = v; return this; }
        public Builder driver(String v) { driver = v; return this; }
        public Builder block(List<String> v) { block = v; return this; }
        public Builder p2pmem(P2pMem v) { p2pmem = v; return this; }
        public Builder cmb(NvmeCmb v) { cmb = v; return this; }
        public Builder note(String v) { note = v; return this; }
        public Builder secondaryBus(Integer v) { secondaryBus = v; return this; }
        public Builder subordinateBus(Integer v) { subordinateBus = v; return this; }
        public Builder inferred(Set<String> v) { inferred = v; return this; }
        public Builder extra(Map<String, Object> v) { extra = v; return this; }

        public PciFunction build() {
            return new PciFunction(address, id, kind, parent, physfn, acs, acsCap, classCode, name, numaNode,
                    iommuGroup, link, driver, block, p2pmem, cmb, note, secondaryBus, subordinateBus, inferred, extra);
        }
    }
}
