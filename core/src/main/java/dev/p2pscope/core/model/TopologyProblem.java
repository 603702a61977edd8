package dev.p2pscope.core.model;

/// One structural problem of a topology: which function (index in the input order, or -1 for the whole
/// topology), which of its fields, and what is wrong.
public record TopologyProblem(int index, String field, String message) {
}
