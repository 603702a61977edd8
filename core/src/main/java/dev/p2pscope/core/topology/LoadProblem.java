package dev.p2pscope.core.topology;

import dev.p2pscope.core.text.IoText;

/// One problem (or notice) found while loading a topology, with where it is.
///
/// Locations and messages are cut to a few hundred characters: a hostile input's 19 MB value is never echoed.
///
/// @param source   the file or source name
/// @param location where inside it: a JSON location such as `devices[4].parent`, a sysfs path, or a dump line
/// @param line     1-based line, or 0 when unknown
/// @param column   1-based column, or 0 when unknown
/// @param message  what is wrong
public record LoadProblem(String source, String location, int line, int column, String message) {

    /// Longest message kept; the rest is replaced by a count.
    public static final int MAX_MESSAGE = 400;

    public LoadProblem {
        source = IoText.clip(source, MAX_MESSAGE);
        location = IoText.clip(location, 200);
        message = IoText.clip(message, MAX_MESSAGE);
    }

    /// `file:line:column: location: message`, the one-line form printed on stderr.
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(source);
        if (line > 0) {
            b.append(':').append(line);
            if (column > 0) b.append(':').append(column);
        }
        b.append(": ");
        if (location != null && !location.isEmpty()) b.append(location).append(": ");
        return b.append(message).toString();
    }
}
