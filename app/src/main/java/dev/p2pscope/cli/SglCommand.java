package dev.p2pscope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.sgl.DmaConfig;
import dev.p2pscope.core.sgl.NvmeCommand;
import dev.p2pscope.core.sgl.SgTable;
import dev.p2pscope.core.sgl.SglScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/// `sgl`: what `dma_map_sgtable()` does with a scatterlist of host and P2PDMA pages for one client, and the NVMe
/// command that would carry it.
@Command(name = "sgl", mixinStandardHelpOptions = true,
        description = "Simulate DMA mapping of a scatterlist mixing host and p2pmem pages (dma-direct or dma-iommu).")
final class SglCommand implements Callable<Integer> {

    /// IOMMU on or off.
    enum OnOff { on, off }

    @Spec CommandSpec spec;
    @Mixin SourceOptions source;
    @Mixin WhatIfOptions whatIf;

    @Option(names = "--client", required = true, paramLabel = "BDF", description = "the device doing the DMA")
    String client;

    @Option(names = "--segments", required = true, paramLabel = "SPEC",
            description = "e.g. host:0x100000+4096,p2p:0000:03:00.0@0+8192 (host physical address, or provider@offset)")
    String segments;

    @Option(names = "--iommu", defaultValue = "off", paramLabel = "on|off", description = "dma-iommu (on) or dma-direct (off)")
    OnOff iommu;

    @Option(names = "--dma-mask", paramLabel = "HEX", description = "the client's DMA mask, e.g. 0xffffffff")
    String dmaMask;

    @Option(names = "--no-p2p-ops", description = "the client's DMA ops do not support P2PDMA")
    boolean noP2pOps;

    @Option(names = "--sgl-capable", description = "the NVMe controller supports SGLs")
    boolean sglCapable;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Topology t = source.load(whatIf);
        DmaConfig dma = iommu == OnOff.on ? DmaConfig.iommu() : DmaConfig.direct();
        if (dmaMask != null) {
            try {
                dma = dma.withMask(Long.parseUnsignedLong(dmaMask.replaceFirst("^0[xX]", ""), 16));
            } catch (NumberFormatException e) {
                throw new CliException(ExitCodes.USAGE, "--dma-mask: not a hexadecimal mask: '" + dmaMask + "'");
            }
        }
        if (noP2pOps) dma = dma.withMode(DmaConfig.Mode.NO_P2P_OPS);
        SglScenario.Result result;
        try {
            SglScenario scenario = new SglScenario(Addresses.one(t, client, "--client"),
                    SglScenario.parseSegments(segments), dma, sglCapable);
            result = scenario.run(t);
        } catch (SglScenario.InvalidInput e) {
            throw new CliException(ExitCodes.USAGE, (e.field() == SglScenario.Field.CLIENT ? "--client: "
                    : "--segments: ") + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, json(result.table(), result.nvme(), result.scenario().client(), t));
            return ExitCodes.OK;
        }
        out.print(result.text());
        return ExitCodes.OK;
    }

    private static ObjectNode json(SgTable table, NvmeCommand nvme, PciAddress client, Topology t) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("client", client.toString());
        o.put("kernel", t.kernel().id());
        ArrayNode in = o.putArray("segments");
        for (SgTable.Entry e : table.entries()) {
            ObjectNode s = in.addObject();
            s.put("input", e.segment().toString());
            s.put("phys", String.format(Locale.ROOT, "0x%x", e.phys()));
            s.put("length", e.length());
            s.put("p2p", e.segment().isP2p());
            s.put("marked", e.marked());
        }
        ArrayNode out = o.putArray("mapped");
        for (SgTable.Mapped m : table.mapped()) {
            ObjectNode s = out.addObject();
            s.put("dmaAddress", String.format(Locale.ROOT, "0x%x", m.dmaAddress()));
            s.put("length", m.dmaLength());
            ArrayNode flags = s.putArray("flags");
            if (m.busAddress()) flags.add("BUS_ADDRESS");
            if (m.swiotlb()) flags.add("SWIOTLB");
            ArrayNode from = s.putArray("inputs");
            m.inputs().forEach(from::add);
        }
        o.put("origNents", table.origNents());
        o.put("nents", table.nents());
        if (table.ok()) o.putNull("error"); else {
            ObjectNode e = o.putObject("error");
            e.put("errno", table.error().name());
            e.put("sgtableReturn", table.error().sgtableReturn());
            e.put("mapSgReturn", table.error().mapSgReturn());
            e.put("entry", table.error().atEntry());
            e.put("reason", table.error().reason());
        }
        ObjectNode n = o.putObject("nvme");
        n.put("layout", nvme.layout().name());
        n.put("blkStatus", nvme.blkStatus().split(" ")[0]);
        ArrayNode lines = n.putArray("fields");
        nvme.lines().forEach(lines::add);
        return o;
    }
}
