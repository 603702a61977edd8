/// P2PScope's core: the PCI model, the loaders, the kernel-semantics engine, the SGL and live-copy models and the
/// texts that put their results into words. No JavaFX, no picocli, no AWT.
///
/// Exported is what the command line, the window and the benchmarks use. Not exported: config-space decoding
/// (`topology.config`) and the lspci loader (`topology.lspci`), which are reached through
/// [dev.p2pscope.core.topology.TopologySource]; inside exported packages, implementation classes stay
/// package-private (the FFM bindings `core.live.Libc`, the source dispatchers `core.topology.Sources`).
module dev.p2pscope.core {
    // TopologyJson hands out Jackson trees (ObjectNode), so users of core read Jackson too.
    requires transitive com.fasterxml.jackson.databind;
    requires org.apache.commons.compress;

    exports dev.p2pscope.core.model;
    exports dev.p2pscope.core.engine;
    exports dev.p2pscope.core.text;
    exports dev.p2pscope.core.sgl;
    exports dev.p2pscope.core.whatif;
    exports dev.p2pscope.core.host;
    exports dev.p2pscope.core.live;
    exports dev.p2pscope.core.generate;
    exports dev.p2pscope.core.samples;
    exports dev.p2pscope.core.topology;
    exports dev.p2pscope.core.topology.sysfs;
}
