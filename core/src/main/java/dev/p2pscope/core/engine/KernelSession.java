package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/// A running kernel: the hardware state it sees now, and each provider's `map_types` cache as it was filled by
/// earlier decisions.
///
/// Mirrors the per-provider xarray in `struct pci_p2pdma`: every `calc_map_type_and_dist()` stores its result
/// (when the provider has p2pdma state, i.e. p2pmem), nothing ever invalidates it, and
/// `pci_p2pdma_map_type()` answers from it. So after a what-if that changes ACS at run time,
/// [#mapType] answers what the running kernel still believes, while a fresh [P2pdmaEngine] on the edited
/// topology answers what it would decide after a reboot. Not thread-safe; one session per scenario.
public final class KernelSession {

    private Topology hardware;
    private P2pdmaEngine engine;
    private final Map<PciAddress, Map<Long, MapType>> cache = new HashMap<>();
    private final List<KernelMessage> log = new ArrayList<>();

    public KernelSession(Topology booted) {
        this.hardware = booted;
        this.engine = new P2pdmaEngine(booted);
    }

    /// The hardware state the kernel reads config space from now.
    public Topology hardware() {
        return hardware;
    }

    /// Changes the hardware at run time (for example `setpci` on an ACS Control register). The cache is kept.
    public void changeHardware(Topology now) {
        this.hardware = now;
        this.engine = new P2pdmaEngine(now);
    }

    /// Everything the kernel printed so far in this session.
    public List<KernelMessage> log() {
        return List.copyOf(log);
    }

    /// Mirrors `pci_p2pdma_distance(provider, client, verbose)`: always recomputes from the hardware now, and
    /// stores the result in the provider's cache.
    public Verdict distance(PciAddress provider, PciAddress client, boolean verbose) {
        Verdict v = engine.decide(provider, client, verbose);
        store(provider, client, v.mapType());
        log.addAll(v.warnings());
        return v;
    }

    /// Mirrors `pci_p2pdma_map_type(provider, dev)` as a DMA mapping calls it.
    ///
    /// A provider without p2pdma state answers NOT_SUPPORTED. On a cache hit the cached type is returned, even
    /// if the hardware has changed since. On a miss, newest kernels (since 6.0) decide verbosely and store the
    /// result; 5.15 returns UNKNOWN (and its `pci_p2pdma_map_sg_attrs()` then warns once and maps nothing).
    public MapType mapType(PciAddress provider, PciAddress client) {
        PciFunction p = hardware.require(provider);
        if (p.p2pmem() == null) return MapType.NOT_SUPPORTED;
        MapType cached = cache.getOrDefault(provider, Map.of()).get(client.cacheKey());
        if (cached != null) return cached;
        if (hardware.kernel() == KernelProfile.V5_15) return MapType.UNKNOWN;
        return distance(provider, client, true).mapType();
    }

    /// The cached map type, if any (UNKNOWN when the slot is empty).
    public MapType cached(PciAddress provider, PciAddress client) {
        return cache.getOrDefault(provider, Map.of()).getOrDefault(client.cacheKey(), MapType.UNKNOWN);
    }

    /// Pairs whose cached type differs from what a fresh decision on the current hardware gives: what a reboot
    /// would change.
    public List<StaleEntry> staleEntries() {
        List<StaleEntry> out = new ArrayList<>();
        for (var e : cache.entrySet()) {
            for (var c : e.getValue().entrySet()) {
                PciAddress client = fromKey(c.getKey());
                if (!hardware.contains(client) || !hardware.contains(e.getKey())) continue;
                MapType fresh = engine.decide(e.getKey(), client, false).mapType();
                if (fresh != c.getValue()) out.add(new StaleEntry(e.getKey(), client, c.getValue(), fresh));
            }
        }
        out.sort((a, b) -> {
            int x = a.provider().compareTo(b.provider());
            return x != 0 ? x : a.client().compareTo(b.client());
        });
        return out;
    }

    /// The provider's p2pdma state is released (driver unbound): its cache goes with it.
    public void releaseProvider(PciAddress provider) {
        cache.remove(provider);
    }

    private void store(PciAddress provider, PciAddress client, MapType type) {
        // Stored only when the provider has p2pdma state.
        if (hardware.require(provider).p2pmem() == null) return;
        cache.computeIfAbsent(provider, k -> new HashMap<>()).put(client.cacheKey(), type);
    }

    private static PciAddress fromKey(long key) {
        int devfn = (int) (key & 0xff);
        return new PciAddress((int) (key >>> 16), (int) ((key >>> 8) & 0xff), devfn >>> 3, devfn & 7);
    }

    /// A cached belief that no longer matches the hardware.
    public record StaleEntry(PciAddress provider, PciAddress client, MapType believed, MapType afterReboot) { }
}
