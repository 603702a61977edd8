package dev.p2pscope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.p2pscope.core.engine.DmaClient;
import dev.p2pscope.core.engine.ManyResult;
import dev.p2pscope.core.engine.P2pdmaEngine;
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
import java.util.concurrent.Callable;

/// `check`: the kernel's verdict for a provider and its clients.
///
/// Exit codes: 0 (a verdict was printed, whatever it is), 2 (a BDF not in the topology), 3 (bad input).
@Command(name = "check", description = "The kernel's P2PDMA verdict for a provider and its client(s).",
        mixinStandardHelpOptions = true)
final class CheckCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin SourceOptions source;
    @Mixin WhatIfOptions whatIf;

    @Option(names = "--provider", required = true, paramLabel = "BDF", description = "the function whose memory is used")
    String provider;

    @Option(names = "--client", required = true, split = ",", paramLabel = "BDF",
            description = "the function(s) doing the DMA; several = pci_p2pdma_distance_many()")
    List<String> clients;

    @Option(names = "--json", description = "print JSON (the shape of the CLI contract)")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Topology t = source.load(whatIf);
        PciAddress p = Addresses.one(t, provider, "--provider");
        List<PciAddress> cs = Addresses.many(t, clients, "--client");
        P2pdmaEngine engine = new P2pdmaEngine(t);
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            // The window's Copy text asks the same method for the same selection.
            out.print(VerdictText.check(t, p, cs));
            return ExitCodes.OK;
        }
        if (cs.size() == 1) {
            Json.print(out, Json.verdict(engine.decide(p, cs.getFirst(), true)));
            return ExitCodes.OK;
        }
        ManyResult r = engine.distanceMany(p, cs.stream().map(DmaClient::pci).toList(), true);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("provider", p.toString());
        o.set("clients", Json.addresses(cs));
        o.put("distance", r.distance());
        ArrayNode results = o.putArray("results");
        r.verdicts().forEach(v -> results.add(Json.verdict(v)));
        Json.print(out, o);
        return ExitCodes.OK;
    }
}
