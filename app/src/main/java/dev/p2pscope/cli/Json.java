package dev.p2pscope.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.p2pscope.core.engine.Hop;
import dev.p2pscope.core.engine.KernelMessage;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.model.PciAddress;

import java.io.PrintWriter;

/// The JSON shapes of `../shared/spec/cli.md`.
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /// One `check` result: provider, client, kernel, mapType, distance, calcDistance, acsRedirect, path, warnings,
    /// and (additive) route.
    static ObjectNode verdict(Verdict v) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("provider", v.provider().toString());
        o.put("client", v.client().toString());
        o.put("kernel", v.details().profile().id());
        o.put("mapType", v.mapType().name());
        o.put("distance", v.distance());
        o.put("calcDistance", v.calcDistance());
        ArrayNode acs = o.putArray("acsRedirect");
        v.acsRedirect().forEach(a -> acs.add(a.toString()));
        ArrayNode path = o.putArray("path");
        v.path().forEach(a -> path.add(a.toString()));
        ArrayNode w = o.putArray("warnings");
        v.warnings().forEach(m -> w.add(m.toString()));
        o.set("route", route(v));
        return o;
    }

    /// The hops the data crosses ([Verdict#route()]): `{"hop": role, "function": BDF}`, and for a host bridge
    /// `{"hop": "host_bridge", "rootBus": "DDDD:BB", "function": BDF or null}`.
    static ArrayNode route(Verdict v) {
        ArrayNode route = JsonNodeFactory.instance.arrayNode();
        for (Hop h : v.route()) {
            ObjectNode x = route.addObject();
            x.put("hop", h.role().name().toLowerCase(java.util.Locale.ROOT));
            if (h.rootBus() != null) x.put("rootBus", h.rootBus().toString());
            if (h.function() == null) x.putNull("function"); else x.put("function", h.function().toString());
        }
        return route;
    }

    static ArrayNode addresses(Iterable<PciAddress> list) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        list.forEach(x -> a.add(x.toString()));
        return a;
    }

    static ArrayNode messages(Iterable<KernelMessage> list) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        list.forEach(x -> a.add(x.toString()));
        return a;
    }

    /// Compact JSON on one line, then a newline.
    static void print(PrintWriter out, Object node) {
        try {
            out.println(MAPPER.writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
