package dev.p2pscope.core.model;


/// A PCI bus `DDDD:BB`. A root bus (one per host bridge) is the bus of a function that has no parent bridge.
public record BusAddress(int domain, int bus) implements Comparable<BusAddress> {

    /// Written out, as [PciAddress]'s are: a load keys a map by bus once per function, and the record's generated
    /// methods go through an invokedynamic method handle chain.
    @Override
    public boolean equals(Object o) {
        return o instanceof BusAddress b && b.domain == domain && b.bus == bus;
    }

    /// The bus as one number, mixed by an odd constant so that every bit reaches the low bits a table indexes by.
    @Override
    public int hashCode() {
        return (domain << 8 | bus) * 0x9E3779B9;
    }

    @Override
    public int compareTo(BusAddress o) {
        int c = Integer.compare(domain, o.domain);
        return c != 0 ? c : Integer.compare(bus, o.bus);
    }

    @Override
    public String toString() {
        return Hex.append(Hex.append(new StringBuilder(7), domain, 4).append(':'), bus, 2).toString();
    }
}
