package dev.p2pscope.cli;

import dev.p2pscope.core.live.ByteSizes;
import picocli.CommandLine;

/// `-s` and `-o` as picocli options: [ByteSizes] (p2pmem-test's `suffix_binary_parse`), with its message as a
/// usage error.
final class ByteSize implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    static long parse(String value) {
        try {
            return ByteSizes.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
