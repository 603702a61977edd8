package dev.p2pscope.core.whatif;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.AllowlistEntry;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.Edit;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.List;

/// Builds what-if edits from their text forms (the CLI's `--kernel`, `--cpu`, `--allow`, `--deny`, `--acs`, and a
/// sample tour's `whatIf`), and applies lists of them.
public final class WhatIf {

    private WhatIf() {
    }

    public static Edit kernel(String id) {
        return new Edit.SetKernel(KernelProfile.fromId(id).orElseThrow(() ->
                new IllegalArgumentException("kernel must be newest or 5.15, got '" + id + "'")));
    }

    public static Edit cpu(String spec) {
        return new Edit.SetCpu(Cpu.parse(spec));
    }

    public static Edit allow(String spec) {
        return new Edit.AllowHostBridge(AllowlistEntry.parse(spec));
    }

    public static Edit deny(String spec) {
        return new Edit.DenyHostBridge(AllowlistEntry.parse(spec));
    }

    /// `BDF=VALUE`: VALUE is an ACS Control value such as `0x000d`, or `none` to remove the capability.
    public static Edit acs(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) throw new IllegalArgumentException("ACS edit is BDF=VALUE (0x000d or none), got '" + spec + "'");
        return acs(spec.substring(0, eq), spec.substring(eq + 1));
    }

    public static Edit acs(String bdf, String value) {
        PciAddress a = PciAddress.parseLenient(bdf);
        String v = value.trim();
        if (v.equalsIgnoreCase("none")) return new Edit.SetAcs(a, Acs.ABSENT);
        try {
            int x = v.startsWith("0x") || v.startsWith("0X") ? Integer.parseInt(v.substring(2), 16)
                    : Integer.parseInt(v);
            return new Edit.SetAcs(a, Acs.control(x));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ACS value must be a 16-bit number such as 0x000d, or none; got '"
                    + value + "'", e);
        }
    }

    /// The edits in the CLI's order of application: kernel, CPU, allow, deny, ACS.
    public static List<Edit> of(String kernel, String cpu, List<String> allow, List<String> deny, List<String> acs) {
        List<Edit> edits = new ArrayList<>();
        if (kernel != null) edits.add(kernel(kernel));
        if (cpu != null) edits.add(cpu(cpu));
        if (allow != null) allow.forEach(a -> edits.add(allow(a)));
        if (deny != null) deny.forEach(d -> edits.add(deny(d)));
        if (acs != null) acs.forEach(a -> edits.add(acs(a)));
        return edits;
    }

    /// Applies `edits` in order.
    ///
    /// @throws IllegalArgumentException when an edit names a function the topology does not have
    public static Topology apply(Topology topology, List<Edit> edits) {
        Topology t = topology;
        for (Edit e : edits) t = e.applyTo(t);
        return t;
    }
}
