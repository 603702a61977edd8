package dev.p2pscope;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/// What this build is: version, git commit and build date, as the build wrote them into `build.properties`
/// (app/pom.xml). A value the build could not learn (no git checkout, say) reads as "unknown", never as a guess.
public record BuildInfo(String version, String commit, boolean dirty, String date) {

    /// Version and date (Maven's resource filtering), then commit and dirty (`git`, run by the build).
    static final String[] RESOURCES = {"/dev/p2pscope/build.properties", "/dev/p2pscope/build-commit.properties"};

    /// This build's information.
    public static BuildInfo current() {
        Properties p = new Properties();
        for (String r : RESOURCES) {
            try (InputStream in = BuildInfo.class.getResourceAsStream(r)) {
                if (in != null) p.load(in);
            } catch (IOException e) {
                // Same as a build without the file: its fields unknown.
            }
        }
        return of(p);
    }

    static BuildInfo of(Properties p) {
        return new BuildInfo(value(p, "version"), value(p, "commit"), "true".equals(p.getProperty("dirty")),
                value(p, "date"));
    }

    /// A property's value, or "unknown" when missing, empty, or never filled in (still `${...}`).
    private static String value(Properties p, String key) {
        String v = p.getProperty(key, "").strip();
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }

    /// One line for `p2pscope --version`, e.g. `p2pscope 0.1.0-SNAPSHOT (commit 91c281f, built 2026-11-30T16:20:00Z)`.
    public String describe() {
        return "p2pscope " + version + " (commit " + commit + (dirty ? " with uncommitted changes" : "") + ", built "
                + date + ")";
    }
}
