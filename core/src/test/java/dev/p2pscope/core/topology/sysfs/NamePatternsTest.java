package dev.p2pscope.core.topology.sysfs;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/// The loader tells function and host-bridge directories by hand-written checks; they answer as the patterns they
/// stand for do, on random strings made of the characters such names are made of.
class NamePatternsTest {

    static final Pattern BDF = Pattern.compile("[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
    static final Pattern HOST_DIR = Pattern.compile("pci[0-9a-f]{4,8}:[0-9a-f]{2}");

    @Test
    void answerAsThePatterns() {
        Random r = new Random(11);
        String alphabet = "0123456789abcdefgA:.p7ci";
        for (int i = 0; i < 400_000; i++) {
            StringBuilder b = new StringBuilder(i % 3 == 0 ? "pci" : "");
            int len = r.nextInt(18);
            for (int k = 0; k < len; k++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            check(b.toString());
        }
        for (int i = 0; i < 100_000; i++) {   // near-names: each field 0-9 digits wide
            String bdf = hex(r, r.nextInt(10)) + ":" + hex(r, r.nextInt(4)) + ":" + hex(r, r.nextInt(4)) + "."
                    + r.nextInt(10);
            check(bdf);
            check("pci" + hex(r, r.nextInt(10)) + ":" + hex(r, r.nextInt(4)));
        }
        for (String s : new String[] {"0000:00:00.0", "ffffffff:ff:1f.7", "10000:03:00.1", "0000:00:00.8",
            "0000:0G:00.0", "pci0000:00", "pci10000:03", "pci000:00", "pci000000000:00", "pciffff:f", ""}) {
            check(s);
        }
    }

    private static void check(String s) {
        assertThat(SysfsLoader.isBdf(s)).as("isBdf '%s'", s).isEqualTo(BDF.matcher(s).matches());
        assertThat(SysfsLoader.isHostDir(s)).as("isHostDir '%s'", s).isEqualTo(HOST_DIR.matcher(s).matches());
    }

    private static String hex(Random r, int digits) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < digits; i++) b.append("0123456789abcdef".charAt(r.nextInt(16)));
        return b.toString();
    }
}
