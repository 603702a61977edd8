package dev.p2pscope.core.model;

/// A function's p2pmem pool, from `/sys/bus/pci/devices/BDF/p2pmem/` (`size`, `available`, `published`), plus
/// whether the `allocate` file (kernel 6.2+) is present.
public record P2pMem(long size, long available, boolean published, boolean allocate) {

    public P2pMem {
        if (size < 0 || available < 0) throw new IllegalArgumentException("p2pmem sizes are non-negative");
    }

    public P2pMem(long size, long available, boolean published) {
        this(size, available, published, false);
    }
}
