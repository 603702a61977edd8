package dev.p2pscope.core.samples;

import dev.p2pscope.core.topology.LoadResult;
import dev.p2pscope.core.topology.TopologyJson;
import dev.p2pscope.core.topology.TopologyLoadException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/// The topologies bundled from the repository's `samples/` folder (inside the core jar).
public final class Samples {

    private static final String BASE = "/dev/p2pscope/core/samples/";

    private Samples() {
    }

    /// Sample names, in the order of `samples/index.txt`.
    public static List<String> names() {
        try (InputStream in = Samples.class.getResourceAsStream(BASE + "index.txt")) {
            if (in == null) return List.of();
            List<String> out = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (!line.isBlank() && !line.startsWith("#")) out.add(line.trim());
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /// Loads the sample `name`.
    ///
    /// @throws TopologyLoadException when there is no such sample (the message lists the names) or it is broken
    public static LoadResult load(String name) throws TopologyLoadException {
        if (!names().contains(name)) {
            throw new TopologyLoadException("sample " + name, "no sample named '" + name + "'; samples: "
                    + String.join(", ", names()));
        }
        try (InputStream in = Samples.class.getResourceAsStream(BASE + name + ".json")) {
            if (in == null) throw new TopologyLoadException("sample " + name, "sample file is missing from the build");
            return TopologyJson.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), "sample " + name);
        } catch (IOException e) {
            throw new TopologyLoadException("sample " + name, "cannot read: " + e.getMessage());
        }
    }
}
