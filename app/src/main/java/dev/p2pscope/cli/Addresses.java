package dev.p2pscope.cli;

import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.List;

/// BDF arguments as people type them (`0000:03:00.0` or `03:00.0`), checked against the topology.
final class Addresses {

    private Addresses() {
    }

    static PciAddress one(Topology t, String text, String option) {
        PciAddress a;
        try {
            a = PciAddress.parseLenient(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, option + ": " + e.getMessage());
        }
        if (!t.contains(a)) {
            throw new CliException(ExitCodes.USAGE, option + ": no function " + a + " in this topology");
        }
        return a;
    }

    static List<PciAddress> many(Topology t, List<String> texts, String option) {
        List<PciAddress> out = new ArrayList<>();
        for (String s : texts) {
            if (!s.isBlank()) out.add(one(t, s.trim(), option));
        }
        if (out.isEmpty()) throw new CliException(ExitCodes.USAGE, option + ": at least one BDF is needed");
        return out;
    }
}
