package dev.p2pscope.core.model;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/// The written-out equals and hashCode of the address records keep a record's meaning: equal exactly when every
/// field is, with equal hashes then; and the hashes of a large tree's regular addresses spread over a table.
class AddressIdentityTest {

    @Test
    void busAddressesAreEqualExactlyWhenTheirFieldsAre() {
        Random r = new Random(5);
        for (int i = 0; i < 100_000; i++) {
            int d1 = r.nextInt(4), b1 = r.nextInt(4), d2 = r.nextInt(4), b2 = r.nextInt(4);
            BusAddress x = new BusAddress(d1, b1), y = new BusAddress(d2, b2);
            assertThat(x.equals(y)).isEqualTo(d1 == d2 && b1 == b2);
            if (x.equals(y)) assertThat(x.hashCode()).isEqualTo(y.hashCode());
        }
        assertThat(new BusAddress(0, 1)).isNotEqualTo(null).isNotEqualTo("0000:01");
    }

    @Test
    void theBusesOfALargeTreeSpreadOverATablesLowBits() {
        Set<Integer> low = new HashSet<>();
        for (int domain = 0; domain < 24; domain++) {
            for (int bus = 0; bus < 256; bus++) low.add(new BusAddress(domain, bus).hashCode() & 0x3fff);
        }
        assertThat(low).hasSizeGreaterThan(24 * 256 * 9 / 10);
    }
}
