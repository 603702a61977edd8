package dev.p2pscope.core.model;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/// [Hex] prints exactly what `%0Nx` prints, for every int (negative ones as two's complement) and width.
class HexTest {

    @Test
    void printsAsFormatDoes() {
        Random r = new Random(42);
        int[] edges = {0, 1, 7, 0xf, 0x10, 0xff, 0x100, 0xffff, 0x10000, Integer.MAX_VALUE, -1, Integer.MIN_VALUE};
        for (int width = 1; width <= 8; width++) {
            for (int v : edges) check(v, width);
            for (int i = 0; i < 2000; i++) check(r.nextInt(), width);
            for (int i = 0; i < 2000; i++) check(r.nextInt(0x10000), width);
        }
    }

    private static void check(int v, int width) {
        assertThat(Hex.of(v, width)).as("%d width %d", v, width)
                .isEqualTo(String.format(Locale.ROOT, "%0" + width + "x", v));
    }

    @Test
    void addressesAndIdsPrintAsBefore() {
        assertThat(new PciAddress(0, 0x1a, 0x1f, 7)).hasToString("0000:1a:1f.7");
        assertThat(new PciAddress(0x10000, 3, 0, 1)).hasToString("10000:03:00.1");
        assertThat(new PciAddress(0, 0x1a, 0x1f, 7).toShortString()).isEqualTo("1a:1f.7");
        assertThat(new PciId(0x8086, 0xa)).hasToString("8086:000a");
        assertThat(new BusAddress(0x15, 0xe6)).hasToString("0015:e6");
    }
}
