package dev.p2pscope.core.model;


/// A PCI bus `DDDD:BB`. A root bus (one per host bridge) is the bus of a function that has no parent bridge.
public record BusAddress(int domain, int bus) implements Comparable<BusAddress> {

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
