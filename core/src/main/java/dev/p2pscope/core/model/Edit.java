package dev.p2pscope.core.model;

/// A what-if edit: a value that, applied to a topology, gives a new topology. The original is never changed.
public sealed interface Edit {

    Topology applyTo(Topology topology);

    /// A short description for undo lists and diffs.
    String describe();

    /// Whether a running kernel could see this change without a reboot: a write to config space (ACS Control,
    /// as `setpci` does). The allowlist is compiled in, and the CPU and the kernel are fixed while it runs.
    default boolean atRunTime() {
        return switch (this) {
            case SetAcs s -> true;
            case ReplaceFunction r -> true;
            case Batch b -> b.edits().stream().allMatch(Edit::atRunTime);
            default -> false;
        };
    }

    /// Add (or replace) a host-bridge allowlist entry.
    record AllowHostBridge(AllowlistEntry entry) implements Edit {
        @Override public Topology applyTo(Topology t) { return t.withAllowlist(t.allowlist().add(entry)); }
        @Override public String describe() { return "allow host bridge " + entry; }
    }

    /// Remove a host-bridge allowlist entry (built in or added).
    record DenyHostBridge(AllowlistEntry entry) implements Edit {
        @Override public Topology applyTo(Topology t) { return t.withAllowlist(t.allowlist().remove(entry)); }
        @Override public String describe() { return "remove host bridge " + entry + " from the allowlist"; }
    }

    /// Set a function's ACS state: a Control value (keeping the capability register), or no capability.
    record SetAcs(PciAddress function, Acs acs) implements Edit {
        @Override
        public Topology applyTo(Topology t) {
            PciFunction f = t.require(function);
            Acs next = acs;
            if (acs instanceof Acs.Present p && p.capability() == null && f.acs() instanceof Acs.Present old) {
                next = new Acs.Present(p.control(), old.capability());
            }
            return t.withFunction(f.withAcs(next));
        }

        @Override
        public String describe() {
            return switch (acs) {
                case Acs.Present p -> "set ACS Control of " + function + " to " + Acs.hex(p.control()) + " ("
                        + Acs.bitNames(p.control()) + ")";
                case Acs.Absent a -> "remove the ACS capability of " + function;
                case Acs.Unknown u -> "mark the ACS of " + function + " unknown";
            };
        }
    }

    /// Replace a function with another version of itself (same address), e.g. with derived facts.
    record ReplaceFunction(PciFunction function) implements Edit {
        @Override public Topology applyTo(Topology t) { return t.withFunction(function); }
        @Override public String describe() { return "update " + function.address(); }
    }

    /// Several edits as one step (one undo).
    record Batch(String description, java.util.List<Edit> edits) implements Edit {
        public Batch {
            edits = java.util.List.copyOf(edits);
        }

        @Override
        public Topology applyTo(Topology t) {
            Topology out = t;
            for (Edit e : edits) out = e.applyTo(out);
            return out;
        }

        @Override public String describe() { return description; }
    }

    /// Change the CPU.
    record SetCpu(Cpu cpu) implements Edit {
        @Override public Topology applyTo(Topology t) { return t.withCpu(cpu); }
        @Override public String describe() { return "CPU " + cpu; }
    }

    /// Change the kernel profile.
    record SetKernel(KernelProfile kernel) implements Edit {
        @Override public Topology applyTo(Topology t) { return t.withKernel(kernel); }
        @Override public String describe() { return "kernel " + kernel; }
    }
}
