package dev.p2pscope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.p2pscope.core.engine.DmaClient;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.engine.ProviderChoice;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.text.VerdictText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/// `find-provider`: which published p2pmem provider `pci_p2pmem_find_many()` would pick for a set of clients.
///
/// Exit codes: 0 (an answer was printed, even "none"), 2 (usage), 3 (bad input).
@Command(name = "find-provider", mixinStandardHelpOptions = true,
        description = "Which p2pmem provider the kernel would pick for a set of clients (pci_p2pmem_find_many).")
final class FindProviderCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin SourceOptions source;
    @Mixin WhatIfOptions whatIf;

    @Option(names = "--clients", required = true, split = ",", paramLabel = "BDF", description = "the clients")
    List<String> clients;

    @Option(names = "--seed", paramLabel = "N", description = "seed for the kernel's random tie-break (repeatable runs)")
    Long seed;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Topology t = source.load(whatIf);
        List<PciAddress> cs = Addresses.many(t, clients, "--clients");
        SplittableRandom random = seed == null ? new SplittableRandom() : new SplittableRandom(seed);
        ProviderChoice c = new P2pdmaEngine(t).findMany(cs.stream().map(DmaClient::pci).toList(), random);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.set("clients", Json.addresses(cs));
            ArrayNode cand = o.putArray("candidates");
            c.candidates().forEach(x -> cand.addObject().put("provider", x.provider().toString())
                    .put("distance", x.distance()));
            o.set("closest", Json.addresses(c.closest()));
            if (c.chosen() == null) o.putNull("chosen"); else o.put("chosen", c.chosen().toString());
            Json.print(out, o);
            return ExitCodes.OK;
        }
        VerdictText.providerChoice(t, c, seed).forEach(out::println);
        return ExitCodes.OK;
    }
}
