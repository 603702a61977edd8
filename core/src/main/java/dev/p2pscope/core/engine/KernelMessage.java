package dev.p2pscope.core.engine;

/// One line the kernel logs, against a device: `pci_warn(dev, ...)` prints the device's name and the text.
///
/// @param device the device the line is printed against (`DDDD:BB:DD.F` for PCI devices)
/// @param text   the message exactly as the kernel formats it, without the trailing newline
public record KernelMessage(String device, String text) {

    @Override
    public String toString() {
        return device + ": " + text;
    }
}
