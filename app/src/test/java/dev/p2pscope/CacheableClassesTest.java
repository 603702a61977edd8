package dev.p2pscope;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/// The JDK's start-up cache skips every class compiled for Java 5 or older (class file version below 50: "Old class
/// has been linked"), and says so only in a log nobody reads: such classes are then read from their jar, verified
/// and interpreted on every start. picocli's published jar is such a jar, so the build compiles picocli from its
/// sources (third-party/picocli). These tests fail if the command line's classes come from an old jar again.
class CacheableClassesTest {

    /// The first class file version the cache keeps (Java 6).
    static final int CACHEABLE = 50;

    static int classFileVersion(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            assertThat(in).as("class file of %s", c.getName()).isNotNull();
            DataInputStream d = new DataInputStream(in);
            assertThat(d.readInt()).isEqualTo(0xCAFEBABE);
            d.readUnsignedShort();   // minor
            return d.readUnsignedShort();
        }
    }

    @Test
    void picocliIsCompiledForACacheableClassFileVersion() throws IOException {
        assertThat(classFileVersion(picocli.CommandLine.class)).isGreaterThanOrEqualTo(CACHEABLE);
        assertThat(classFileVersion(picocli.AutoComplete.class)).isGreaterThanOrEqualTo(CACHEABLE);
    }
}
