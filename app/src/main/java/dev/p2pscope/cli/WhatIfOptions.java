package dev.p2pscope.cli;

import dev.p2pscope.core.host.HostContext;
import dev.p2pscope.core.model.Edit;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.whatif.WhatIf;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/// What-if options, applied on top of whatever was loaded (the file itself is not changed).
public final class WhatIfOptions {

    @Option(names = "--kernel", paramLabel = "newest|5.15", description = "which kernel behaviour decides")
    String kernel;

    @Option(names = "--cpu", paramLabel = "VENDOR[:FAMILY]", description = "e.g. AuthenticAMD:0x19")
    String cpu;

    @Option(names = "--allow", paramLabel = "VVVV:DDDD[:same]",
            description = "add a host-bridge allowlist entry (:same = only within one host bridge); repeatable")
    List<String> allow = new ArrayList<>();

    @Option(names = "--deny", paramLabel = "VVVV:DDDD", description = "remove an allowlist entry; repeatable")
    List<String> deny = new ArrayList<>();

    @Option(names = "--derive-acs", description = "where ACS could not be read, derive it from the IOMMU and the boot "
            + "parameters (pci=disable_acs_redir=, pci=config_acs=) and say so")
    boolean deriveAcs;

    @Option(names = "--acs", paramLabel = "BDF=VALUE",
            description = "set a function's ACS Control register (0x000d), or none to remove its ACS capability; "
                    + "repeatable")
    List<String> acs = new ArrayList<>();

    /// The edits, in the order they are applied.
    public List<Edit> edits() {
        try {
            return WhatIf.of(kernel, cpu, allow, deny, acs);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
    }

    public Topology apply(Topology t) {
        try {
            Topology base = deriveAcs ? HostContext.deriveAcs(t) : t;
            return WhatIf.apply(base, edits());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
    }

    public boolean any() {
        return kernel != null || cpu != null || !allow.isEmpty() || !deny.isEmpty() || !acs.isEmpty() || deriveAcs;
    }
}
