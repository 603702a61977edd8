package dev.p2pscope.core.topology;

import dev.p2pscope.core.text.IoText;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/// Reads a file a user named, bounded by what is actually read (not by `Files.size()`, which is 0 for
/// `/dev/zero` and meaningless for a FIFO), and only when it is a regular file: a FIFO would block forever and a
/// device never ends.
public final class InputFiles {

    private InputFiles() {
    }

    /// Refuses what is not a readable regular file, with the reason.
    public static void requireRegularFile(Path file) throws TopologyLoadException {
        String source = file.toString();
        if (!Files.exists(file)) throw new TopologyLoadException(source, "cannot read: no such file or directory");
        if (Files.isDirectory(file)) throw new TopologyLoadException(source, "cannot read: it is a directory");
        if (!Files.isRegularFile(file)) {
            throw new TopologyLoadException(source, "cannot read: not a regular file (a FIFO, socket or device "
                    + "would never end or would block)");
        }
    }

    /// At most `max` bytes of the regular file; more is refused as too large.
    public static byte[] read(Path file, long max) throws TopologyLoadException {
        requireRegularFile(file);
        String source = file.toString();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (bytes.length > max) {
                throw new TopologyLoadException(source, "file is larger than " + (max >> 20) + " MiB");
            }
            return bytes;
        } catch (IOException e) {
            throw new TopologyLoadException(source, "cannot read: " + IoText.reason(e));
        }
    }

    /// Strict UTF-8 text, a leading byte-order mark dropped.
    public static String utf8(byte[] bytes, String source) throws TopologyLoadException {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString();
        } catch (CharacterCodingException e) {
            throw new TopologyLoadException(source, "not UTF-8 text");
        }
    }
}
