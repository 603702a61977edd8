package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.testing.RandomTopologies;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/// Properties of the kernel's decision over generated topologies (both kernel profiles).
class EnginePropertiesTest {

    record Case(Topology topology, PciAddress provider, PciAddress client, long seed) { }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.longs().flatMap(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            Topology t = RandomTopologies.generate(r, 0.4);
            if (r.nextBoolean()) t = t.withKernel(KernelProfile.V5_15);
            List<PciFunction> fs = t.functions();
            PciAddress p = fs.get(r.nextInt(fs.size())).address();
            PciAddress c = fs.get(r.nextInt(fs.size())).address();
            return Arbitraries.just(new Case(t, p, c, seed));
        });
    }

    @Property(tries = 400)
    void mapTypeAndDistanceAreTheSameBothWays(@ForAll("cases") Case c) {
        P2pdmaEngine e = new P2pdmaEngine(c.topology());
        Verdict there = e.decide(c.provider(), c.client(), false);
        Verdict back = e.decide(c.client(), c.provider(), false);
        assertThat(back.mapType()).isEqualTo(there.mapType());
        assertThat(back.calcDistance()).isEqualTo(there.calcDistance());
    }

    @Property(tries = 400)
    void acsOffTheExaminedPathNeverChangesTheVerdict(@ForAll("cases") Case c) {
        P2pdmaEngine e = new P2pdmaEngine(c.topology());
        Verdict v = e.decide(c.provider(), c.client(), false);
        Set<PciAddress> examined = examined(c.topology(), c.provider(), c.client());
        Topology t = c.topology();
        for (PciFunction f : c.topology().functions()) {
            if (!examined.contains(f.address())) t = t.withFunction(f.withAcs(Acs.control(0x003d)));
        }
        Verdict after = new P2pdmaEngine(t).decide(c.provider(), c.client(), false);
        assertThat(after.mapType()).isEqualTo(v.mapType());
        assertThat(after.distance()).isEqualTo(v.distance());
    }

    @Property(tries = 400)
    void busAddrExactlyWhenACommonUpstreamBridgeAndNothingExaminedRedirects(@ForAll("cases") Case c) {
        Topology t = c.topology();
        Verdict v = new P2pdmaEngine(t).decide(c.provider(), c.client(), false);
        PciFunction p = t.require(c.provider());
        PciFunction cl = t.require(c.client());
        boolean common = t.upstreamChain(p).stream().anyMatch(a -> t.upstreamChain(cl).contains(a));
        boolean redirect = examined(t, c.provider(), c.client()).stream()
                .anyMatch(a -> t.require(a).acs().redirects());
        assertThat(v.mapType() == MapType.BUS_ADDR).isEqualTo(common && !redirect);
    }

    @Property(tries = 300)
    void distanceIsMinusOneExactlyWhenNotSupported(@ForAll("cases") Case c) {
        Verdict v = new P2pdmaEngine(c.topology()).decide(c.provider(), c.client(), true);
        assertThat(v.distance() == -1).isEqualTo(v.mapType() == MapType.NOT_SUPPORTED);
        assertThat(v.calcDistance()).isGreaterThanOrEqualTo(0);
        if (v.details().commonAncestor() != null) assertThat(v.path()).hasSize(v.calcDistance() + 1);
    }

    /// The functions the kernel examines, computed independently of the engine: the provider and its chain up
    /// to and including the common ancestor, and the client's chain below it; with no common ancestor the
    /// provider's whole chain (which cannot change the outcome).
    static Set<PciAddress> examined(Topology t, PciAddress provider, PciAddress client) {
        List<PciFunction> pc = t.upstreamChain(t.require(provider));
        List<PciFunction> cc = t.upstreamChain(t.require(client));
        Set<PciAddress> out = new HashSet<>();
        PciFunction common = pc.stream().filter(cc::contains).findFirst().orElse(null);
        for (PciFunction f : pc) {
            out.add(f.address());
            if (f == common) break;
        }
        if (common != null) {
            for (PciFunction f : cc) {
                if (f == common) break;
                out.add(f.address());
            }
        }
        return out;
    }
}
