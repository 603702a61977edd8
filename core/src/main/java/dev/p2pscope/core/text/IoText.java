package dev.p2pscope.core.text;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.zip.ZipException;

/// Why an I/O operation failed, in the words `strerror()` would use: "no such file", "permission denied",
/// "read-only file system", never a bare path (Java's file exceptions carry the path as their message) or `null`.
public final class IoText {

    private IoText() {
    }

    /// The reason alone, without the path, e.g. `no such file or directory`.
    public static String reason(IOException e) {
        String why = switch (e) {
            case NoSuchFileException n -> "no such file or directory";
            case AccessDeniedException a -> "permission denied";
            case NotDirectoryException n -> "not a directory";
            case DirectoryNotEmptyException d -> "directory not empty";
            case FileAlreadyExistsException f -> "file exists";
            case FileSystemLoopException l -> "too many levels of symbolic links";
            case NotLinkException l -> "not a symbolic link";
            case FileSystemException f -> f.getReason() != null ? lower(f.getReason()) : null;
            case EOFException eof -> "unexpected end of file (the file is truncated)";
            case ZipException z -> "not valid gzip data" + (z.getMessage() == null ? "" : ": " + z.getMessage());
            default -> null;
        };
        if (why != null) return why;
        String m = e.getMessage();
        if (m == null || m.isBlank()) return e.getClass().getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ")
                .toLowerCase(java.util.Locale.ROOT);
        return clip(m, 300);
    }

    private static String lower(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /// `s` cut to `max` characters, with the count of what was cut, so a hostile value is never echoed in full.
    public static String clip(String s, int max) {
        if (s == null || s.length() <= max) return s;
        return s.substring(0, max) + "… (" + (s.length() - max) + " more characters)";
    }
}
