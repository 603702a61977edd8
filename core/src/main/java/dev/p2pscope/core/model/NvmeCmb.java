package dev.p2pscope.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/// An NVMe Controller Memory Buffer, from the controller's CMBLOC (0x38) and CMBSZ (0x3C) registers, decoded as
/// `nvme_map_cmb()` in drivers/nvme/host/pci.c does.
public record NvmeCmb(int cmbloc, int cmbsz) {

    /// CMBSZ bits: Submission Queue Support, Completion Queue, PRP/SGL Lists, Read Data, Write Data.
    public static final int SQS = 1, CQS = 1 << 1, LISTS = 1 << 2, RDS = 1 << 3, WDS = 1 << 4;

    /// `SZU`: size unit = 4 KiB × 16^SZU (bits 11:8 of CMBSZ).
    public long unitBytes() {
        int szu = (cmbsz >>> 8) & 0xf;
        return szu > 6 ? 0 : 4096L << (4 * szu);
    }

    /// `SZ` (bits 31:12 of CMBSZ) × unit: the CMB size the controller advertises.
    public long sizeBytes() {
        return unitBytes() * (Integer.toUnsignedLong(cmbsz) >>> 12);
    }

    /// `BIR` (bits 2:0 of CMBLOC): the BAR that holds the CMB.
    public int bar() {
        return cmbloc & 0x7;
    }

    /// `OFST` (bits 31:12 of CMBLOC) × unit: the CMB's offset inside that BAR.
    public long offsetBytes() {
        return unitBytes() * (Integer.toUnsignedLong(cmbloc) >>> 12);
    }

    public boolean has(int bit) {
        return (cmbsz & bit) != 0;
    }

    /// No CMB at all: the kernel stops when CMBSZ reads 0.
    public boolean absent() {
        return cmbsz == 0;
    }

    /// The NVMe driver publishes the CMB as p2pmem only when both Write Data and Read Data are supported.
    public boolean publishable() {
        return has(WDS) && has(RDS);
    }

    /// The support bits that are set, e.g. `SQS|RDS|WDS`.
    public String supportBits() {
        String[] names = {"SQS", "CQS", "LISTS", "RDS", "WDS"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (has(1 << i)) out.add(names[i]);
        }
        return out.isEmpty() ? "none" : String.join("|", out);
    }

    public String cmblocHex() {
        return String.format(Locale.ROOT, "0x%08x", cmbloc);
    }

    public String cmbszHex() {
        return String.format(Locale.ROOT, "0x%08x", cmbsz);
    }
}
