package dev.p2pscope.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.p2pscope.core.engine.AllPairs;
import dev.p2pscope.core.engine.VerdictMatrix;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.text.VerdictText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/// `matrix`: every ordered pair at once, row = provider, column = client.
///
/// The JSON is streamed row by row, so a large topology never holds the whole matrix in memory.
@Command(name = "matrix", mixinStandardHelpOptions = true,
        description = "Map type and distance for every pair, in the spirit of nvidia-smi topo -m.")
final class MatrixCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin SourceOptions source;
    @Mixin WhatIfOptions whatIf;

    @Option(names = "--devices", paramLabel = "endpoints|all|BDF,BDF...", defaultValue = "endpoints",
            description = "which functions: endpoints (default: not bridges, not host bridges), all, or a list")
    String devices;

    @Option(names = "--json", description = "print JSON: {devices, mapType, distance}")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Topology t = source.load(whatIf);
        List<PciAddress> devs = select(t);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            streamJson(t, devs, out);
        } else {
            if (devs.size() > AllPairs.MAX_MATRIX_DEVICES) {
                throw new CliException(ExitCodes.BAD_INPUT, devs.size() + " devices are too many for a matrix (at most "
                        + AllPairs.MAX_MATRIX_DEVICES + "); choose some with --devices, or stream with --json");
            }
            text(t, VerdictMatrix.compute(t, devs), out);
        }
        return ExitCodes.OK;
    }

    private List<PciAddress> select(Topology t) {
        return switch (devices) {
            case "endpoints" -> VerdictMatrix.defaultDevices(t);
            case "all" -> t.functions().stream().map(PciFunction::address).toList();
            default -> Addresses.many(t, Arrays.asList(devices.split(",")), "--devices");
        };
    }

    private static void streamJson(Topology t, List<PciAddress> devs, PrintWriter out) throws IOException {
        AllPairs all = new AllPairs(t);
        int n = devs.size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = all.indexOf(devs.get(i));
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(new NonClosingWriter(out))) {
            g.writeStartObject();
            g.writeArrayFieldStart("devices");
            for (PciAddress a : devs) g.writeString(a.toString());
            g.writeEndArray();
            int[] distances = new int[n];
            // Two passes over the rows (map types, then distances): only one row is ever held, not the matrix.
            g.writeArrayFieldStart("mapType");
            for (int i = 0; i < n; i++) {
                g.writeStartArray();
                for (int j = 0; j < n; j++) g.writeString(all.mapType(idx[i], idx[j]).name());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("distance");
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) distances[j] = all.distance(idx[i], idx[j]);
                g.writeArray(distances, 0, n);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.println();
    }

    /// `nvidia-smi topo -m` style: a label per device, then one cell per client.
    static void text(Topology t, VerdictMatrix m, PrintWriter out) {
        int n = m.size();
        boolean oneDomain = m.devices().stream().allMatch(a -> a.domain() == 0);
        List<String> labels = new ArrayList<>();
        for (PciAddress a : m.devices()) labels.add(oneDomain ? a.toShortString() : a.toString());
        int cell = Math.max(7, labels.stream().mapToInt(String::length).max().orElse(7) + 1);
        int rowLabel = labels.stream().mapToInt(String::length).max().orElse(7) + 2;
        StringBuilder head = new StringBuilder(" ".repeat(rowLabel));
        for (String l : labels) head.append(String.format("%-" + cell + "s", l));
        out.println(head.toString().stripTrailing() + "   name");
        for (int i = 0; i < n; i++) {
            StringBuilder row = new StringBuilder(String.format("%-" + rowLabel + "s", labels.get(i)));
            for (int j = 0; j < n; j++) {
                String c = VerdictText.cell(m.mapType(i, j), m.distance(i, j));
                row.append(String.format("%-" + cell + "s", c));
            }
            out.println(row + "  " + t.require(m.devices().get(i)).displayName());
        }
        out.println();
        VerdictText.matrixLegend().forEach(out::println);
        out.println("kernel " + VerdictText.kernelLine(t, null));
        VerdictText.cautions(t).forEach(w -> out.println("warning: " + w));
    }

    /// Lets the JSON generator flush without closing picocli's writer.
    private static final class NonClosingWriter extends java.io.FilterWriter {
        NonClosingWriter(java.io.Writer w) {
            super(w);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

}
