package dev.p2pscope.core.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/// The kernel command line parameters that change P2PDMA decisions: ACS overrides (`pci=disable_acs_redir=`,
/// `pci=config_acs=`) and the IOMMU switches (`iommu=`, `intel_iommu=`, `amd_iommu=`).
///
/// @param disableAcsRedir devices whose ACS RR, CR and EC the kernel clears at boot (any kernel since 4.20)
/// @param configAcs       per-bit ACS overrides (≈6.11+): `<bits>@<device>`, bits read right to left from SV
/// @param iommu           the value of `iommu=` (null when absent)
/// @param intelIommu      `intel_iommu=`
/// @param amdIommu        `amd_iommu=`
public record BootParams(List<DeviceMatch> disableAcsRedir, List<ConfigAcs> configAcs, String iommu,
                         String intelIommu, String amdIommu) {

    public static final BootParams NONE = new BootParams(List.of(), List.of(), null, null, null);

    public BootParams {
        disableAcsRedir = List.copyOf(disableAcsRedir);
        configAcs = List.copyOf(configAcs);
    }

    /// One `config_acs` entry: for each ACS Control bit 0..6 (SV..DT), force it on, off, or keep the value.
    public record ConfigAcs(String bits, DeviceMatch device) {

        /// Applies the entry to a control value: rightmost character is bit 0 (SV).
        public int apply(int control) {
            int v = control;
            for (int i = 0; i < bits.length() && i < 7; i++) {
                char c = bits.charAt(bits.length() - 1 - i);
                if (c == '1') v |= 1 << i;
                else if (c == '0') v &= ~(1 << i);
            }
            return v;
        }
    }

    /// Parses `/proc/cmdline` (or any kernel command line).
    public static BootParams parse(String cmdline) {
        if (cmdline == null || cmdline.isBlank()) return NONE;
        List<DeviceMatch> disable = new ArrayList<>();
        List<ConfigAcs> config = new ArrayList<>();
        String iommu = null;
        String intel = null;
        String amd = null;
        for (String word : cmdline.trim().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq < 0) continue;
            String key = word.substring(0, eq);
            String value = word.substring(eq + 1);
            switch (key) {
                case "pci" -> {
                    // pci= takes comma-separated options; device lists inside them use ';'.
                    for (String opt : value.split(",")) {
                        if (opt.startsWith("disable_acs_redir=")) {
                            for (String d : opt.substring(18).split(";")) if (!d.isBlank()) disable.add(new DeviceMatch(d));
                        } else if (opt.startsWith("config_acs=")) {
                            for (String e : opt.substring(11).split(";")) {
                                int at = e.indexOf('@');
                                if (at > 0) config.add(new ConfigAcs(e.substring(0, at).toLowerCase(Locale.ROOT),
                                        new DeviceMatch(e.substring(at + 1))));
                            }
                        }
                    }
                }
                case "iommu" -> iommu = value;
                case "intel_iommu" -> intel = value;
                case "amd_iommu" -> amd = value;
                default -> { }
            }
        }
        return new BootParams(disable, config, iommu, intel, amd);
    }

    /// Whether the command line turns the IOMMU off (or to passthrough, where no translation is done but ACS is
    /// still requested by the IOMMU driver): `off` values only.
    public boolean iommuOff() {
        return "off".equals(iommu) || "off".equals(intelIommu) || "off".equals(amdIommu);
    }

    public boolean isEmpty() {
        return disableAcsRedir.isEmpty() && configAcs.isEmpty() && iommu == null && intelIommu == null && amdIommu == null;
    }

    /// A one-line summary for text output.
    public String summary() {
        List<String> parts = relevant();
        return parts.isEmpty() ? "none that change P2PDMA" : String.join(" ", parts);
    }

    /// The parameters that change P2PDMA, each as written on the command line; empty when there are none.
    public List<String> relevant() {
        List<String> parts = new ArrayList<>();
        if (!disableAcsRedir.isEmpty()) parts.add("pci=disable_acs_redir=" + String.join(";",
                disableAcsRedir.stream().map(DeviceMatch::text).toList()));
        if (!configAcs.isEmpty()) parts.add("pci=config_acs=" + String.join(";",
                configAcs.stream().map(c -> c.bits() + "@" + c.device().text()).toList()));
        if (iommu != null) parts.add("iommu=" + iommu);
        if (intelIommu != null) parts.add("intel_iommu=" + intelIommu);
        if (amdIommu != null) parts.add("amd_iommu=" + amdIommu);
        return List.copyOf(parts);
    }
}
