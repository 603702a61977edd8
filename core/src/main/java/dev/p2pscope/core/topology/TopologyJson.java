package dev.p2pscope.core.topology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.AllowlistEntry;
import dev.p2pscope.core.model.AllowlistOverrides;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.CpuVendor;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.HostInfo;
import dev.p2pscope.core.model.InvalidTopologyException;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.Link;
import dev.p2pscope.core.model.NvmeCmb;
import dev.p2pscope.core.model.P2pMem;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.PciId;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.model.TopologyProblem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/// Reads and writes `p2pscope-topology/1` (see `docs/topology-json.md`).
///
/// Reading reports every problem at once, each with its JSON location (`devices[4].parent`) and line/column,
/// and never returns a half-loaded topology. Keys this version does not know are kept (round trip) and reported
/// as notices.
public final class TopologyJson {

    public static final String FORMAT = "p2pscope-topology/1";
    /// Files larger than this are refused before parsing.
    public static final long MAX_BYTES = 64L << 20;

    private static final Set<String> TOP_KEYS = Set.of("format", "name", "description", "cpu", "kernel", "devices",
            "allowlist", "host");
    /// Extension keys this version knows but keeps as plain data (no notice): `tour`, a sample's guided pairs.
    private static final Set<String> KNOWN_EXTRA_KEYS = Set.of("tour");
    private static final Set<String> DEVICE_KEYS = Set.of("bdf", "id", "kind", "parent", "physfn", "acs", "acsCap",
            "class", "name", "numaNode", "iommuGroup", "link", "driver", "block", "p2pmem", "cmb", "note",
            "inferred", "secondaryBus", "subordinateBus");

    /// Duplicate keys are an error (which value was meant cannot be known), not "last one wins".
    private static final JsonFactory JSON_FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper MAPPER = JsonMapper.builder(JSON_FACTORY)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private TopologyJson() {
    }

    /// Reads a topology file.
    public static LoadResult read(Path file) throws TopologyLoadException {
        String source = file.toString();
        return read(InputFiles.utf8(InputFiles.read(file, MAX_BYTES), source), source);
    }

    /// Reads topology JSON text; `source` names it in problems.
    public static LoadResult read(String text, String source) throws TopologyLoadException {
        if (text.startsWith("\uFEFF")) text = text.substring(1);   // a byte-order mark, as editors on Windows write
        Map<String, JsonLocation> locations = new HashMap<>();
        JsonNode root;
        try {
            indexLocations(text, locations);
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new TopologyLoadException(List.of(new LoadProblem(source, "", loc == null ? 0 : loc.getLineNr(),
                    loc == null ? 0 : loc.getColumnNr(), "malformed JSON: " + jsonReason(e))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Reader(source, locations).read(root);
    }

    /// Jackson's message in this project's words: its limits are named by what they limit, not by its API.
    static String jsonReason(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            if (m.contains("nesting depth")) {
                return "nested deeper than " + StreamReadConstraints.DEFAULT_MAX_DEPTH + " levels";
            }
            if (m.contains("Number value length") || m.contains("Number length")) return "a number with too many digits";
            if (m.contains("String value length") || m.contains("String length")) return "a string value is too long";
            if (m.contains("Name length")) return "a key is too long";
            return "too large to read";
        }
        return m.replaceAll("\\s*\\(from `[^`]*`\\)", "").replaceAll("`[a-z]+(\\.[a-zA-Z]+)+`", "");
    }

    /// Only locations this shallow are ever named by a problem (`/devices/4/p2pmem/size` is the deepest).
    private static final int INDEX_DEPTH = 5;

    /// Records the line and column of every key and value by its JSON pointer, down to [#INDEX_DEPTH] levels: a
    /// pointer costs its depth to build, so indexing every token of a deeply nested file would cost tokens × depth.
    private static void indexLocations(String text, Map<String, JsonLocation> out) throws IOException {
        try (JsonParser p = JSON_FACTORY.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) continue;
                var ctx = p.getParsingContext();
                boolean start = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY;
                if (ctx.getNestingDepth() > (start ? INDEX_DEPTH + 1 : INDEX_DEPTH)) continue;
                String pointer;
                if (start) {
                    pointer = ctx.getParent() == null ? "" : ctx.getParent().pathAsPointer().toString();
                } else {
                    pointer = ctx.pathAsPointer().toString();
                }
                out.putIfAbsent(pointer, p.currentTokenLocation());
            }
        }
    }

    /// A JSON value for a message, cut short: a hostile 19 MB value is never echoed in full.
    static String shown(JsonNode n) {
        if (n == null) return "nothing";
        if (n.isTextual() && n.asText().length() > 80) {
            return "\"" + n.asText().substring(0, 80) + "…\" (" + n.asText().length() + " characters)";
        }
        String s = n.toString();
        return s.length() > 100 ? s.substring(0, 100) + "… (" + s.length() + " characters)" : s;
    }

    /// `/devices/4/parent` → `devices[4].parent`.
    static String displayLocation(String pointer) {
        StringBuilder b = new StringBuilder();
        for (String seg : pointer.split("/")) {
            if (seg.isEmpty()) continue;
            if (seg.chars().allMatch(Character::isDigit)) {
                b.append('[').append(seg).append(']');
            } else {
                if (!b.isEmpty()) b.append('.');
                b.append(seg.replace("~1", "/").replace("~0", "~"));
            }
        }
        return b.toString();
    }

    private static final class Reader {
        private final String source;
        private final Map<String, JsonLocation> locations;
        private final List<LoadProblem> problems = new ArrayList<>();
        private final List<LoadProblem> notices = new ArrayList<>();

        Reader(String source, Map<String, JsonLocation> locations) {
            this.source = source;
            this.locations = locations;
        }

        /// Problems and notices kept at most: past these, only a count (a hostile file can hold millions).
        static final int MAX_KEPT = 10_000;
        private int droppedProblems;
        private int droppedNotices;

        private void problem(String pointer, String message) {
            if (problems.size() < MAX_KEPT) problems.add(at(pointer, message));
            else droppedProblems++;
        }

        private void notice(String pointer, String message) {
            if (notices.size() < MAX_KEPT) notices.add(at(pointer, message));
            else droppedNotices++;
        }

        /// The kept problems, and a last one counting those dropped.
        private List<LoadProblem> problems() {
            if (droppedProblems == 0) return problems;
            List<LoadProblem> all = new ArrayList<>(problems);
            all.add(new LoadProblem(source, "", 0, 0, droppedProblems + " more problems not listed"));
            return all;
        }

        private List<LoadProblem> notices() {
            if (droppedNotices == 0) return notices;
            List<LoadProblem> all = new ArrayList<>(notices);
            all.add(new LoadProblem(source, "", 0, 0, droppedNotices + " more notices not listed"));
            return all;
        }

        private LoadProblem at(String pointer, String message) {
            String p = pointer;
            JsonLocation loc = locations.get(p);
            while (loc == null && !p.isEmpty()) {
                p = p.substring(0, Math.max(0, p.lastIndexOf('/')));
                loc = locations.get(p);
            }
            return new LoadProblem(source, displayLocation(pointer), loc == null ? 0 : loc.getLineNr(),
                    loc == null ? 0 : loc.getColumnNr(), message);
        }

        LoadResult read(JsonNode root) throws TopologyLoadException {
            if (root == null || !root.isObject()) {
                problem("", "a topology file is a JSON object");
                throw new TopologyLoadException(problems());
            }
            Topology.Builder b = Topology.builder();
            JsonNode format = root.get("format");
            if (format == null) {
                problem("/format", "missing required key 'format'");
            } else if (!format.isTextual() || !FORMAT.equals(format.asText())) {
                problem("/format", "format must be \"" + FORMAT + "\", found " + shown(format));
            }
            b.name(optText(root, "", "name"));
            b.description(optText(root, "", "description"));
            b.cpu(readCpu(root.get("cpu")));
            JsonNode kernel = root.get("kernel");
            if (kernel != null && !kernel.isNull()) {
                KernelProfile k = kernel.isTextual() ? KernelProfile.fromId(kernel.asText()).orElse(null) : null;
                if (k == null) problem("/kernel", "kernel must be \"newest\" or \"5.15\", found " + shown(kernel));
                b.kernel(k);
            }
            b.allowlist(readAllowlist(root.get("allowlist")));
            b.host(readHost(root.get("host")));
            Map<String, Object> extra = new LinkedHashMap<>();
            nestedUnknown(root, "", "cpu", Set.of("vendor", "family"), extra);
            nestedUnknown(root, "", "host", Set.of("kernelRelease", "cmdline", "iommu"), extra);
            nestedUnknown(root, "", "allowlist", Set.of("add", "remove"), extra);
            root.fieldNames().forEachRemaining(k -> {
                if (!TOP_KEYS.contains(k)) {
                    extra.put(k, MAPPER.convertValue(root.get(k), Object.class));
                    if (!KNOWN_EXTRA_KEYS.contains(k)) notice("/" + k, "unknown key '" + k + "' kept as is");
                }
            });
            b.extra(extra);
            JsonNode devices = root.get("devices");
            List<PciFunction> functions = new ArrayList<>();
            List<Integer> inputIndex = new ArrayList<>();
            if (devices == null) {
                problem("/devices", "missing required key 'devices'");
            } else if (!devices.isArray()) {
                problem("/devices", "devices must be an array");
            } else {
                for (int i = 0; i < devices.size(); i++) {
                    PciFunction f = readDevice(devices.get(i), "/devices/" + i);
                    if (f != null) {
                        functions.add(f);
                        inputIndex.add(i);
                    }
                }
            }
            if (!problems.isEmpty()) throw new TopologyLoadException(problems());
            b.addAll(functions);
            try {
                return new LoadResult(b.build(), notices());   // validates the structure, once
            } catch (InvalidTopologyException e) {
                for (TopologyProblem tp : e.problems()) {
                    String ptr = tp.index() < 0 ? "" : "/devices/" + inputIndex.get(tp.index())
                            + (tp.field() == null ? "" : "/" + tp.field());
                    problem(ptr, tp.message());
                }
                throw new TopologyLoadException(problems());
            }
        }

        /// Keys of the object `parent[key]` that this version does not know: kept in `extra` under `key` (the
        /// writer merges them back into that object) and reported as notices, like unknown top-level keys.
        private void nestedUnknown(JsonNode parent, String ptr, String key, Set<String> known,
                                   Map<String, Object> extra) {
            JsonNode obj = parent.get(key);
            if (obj == null || !obj.isObject()) return;
            Map<String, Object> unknown = new LinkedHashMap<>();
            for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!known.contains(k)) {
                    unknown.put(k, MAPPER.convertValue(obj.get(k), Object.class));
                    notice(ptr + "/" + key + "/" + k, "unknown key '" + k + "' kept as is");
                }
            }
            if (!unknown.isEmpty()) extra.put(key, unknown);
        }

        private Cpu readCpu(JsonNode cpu) {
            if (cpu == null || cpu.isNull()) return Cpu.UNKNOWN;
            if (!cpu.isObject()) {
                problem("/cpu", "cpu must be an object {vendor, family}");
                return Cpu.UNKNOWN;
            }
            JsonNode v = cpu.get("vendor");
            CpuVendor vendor = v != null && v.isTextual() ? CpuVendor.fromId(v.asText()).orElse(null) : null;
            if (vendor == null || vendor == CpuVendor.UNKNOWN) {
                problem("/cpu/vendor", "vendor must be GenuineIntel, AuthenticAMD, HygonGenuine or non-x86, found "
                        + shown(v));
                return Cpu.UNKNOWN;
            }
            JsonNode f = cpu.get("family");
            int family = 0;
            if (f != null && !f.isNull()) {
                long value = -1;
                if (f.isIntegralNumber() && f.canConvertToInt()) {
                    value = f.asInt();
                } else if (f.isTextual() && f.asText().matches("0[xX][0-9a-fA-F]{1,8}|[0-9]{1,10}")) {
                    String t = f.asText();
                    value = t.length() > 1 && (t.charAt(1) == 'x' || t.charAt(1) == 'X')
                            ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
                }
                if (value >= 0 && value <= Integer.MAX_VALUE) {
                    family = (int) value;
                } else {
                    problem("/cpu/family", "family must be a non-negative number below 2^31, found " + shown(f));
                }
            }
            return new Cpu(vendor, family);
        }

        private AllowlistOverrides readAllowlist(JsonNode node) {
            if (node == null || node.isNull()) return AllowlistOverrides.NONE;
            if (!node.isObject()) {
                problem("/allowlist", "allowlist must be an object {add: [...], remove: [...]}");
                return AllowlistOverrides.NONE;
            }
            return new AllowlistOverrides(entries(node.get("add"), "/allowlist/add"),
                    entries(node.get("remove"), "/allowlist/remove"));
        }

        private List<AllowlistEntry> entries(JsonNode arr, String ptr) {
            List<AllowlistEntry> out = new ArrayList<>();
            if (arr == null || arr.isNull()) return out;
            if (!arr.isArray()) {
                problem(ptr, "must be an array of \"VVVV:DDDD[:same]\" strings");
                return out;
            }
            for (int i = 0; i < arr.size(); i++) {
                try {
                    out.add(AllowlistEntry.parse(arr.get(i).asText()));
                } catch (IllegalArgumentException e) {
                    problem(ptr + "/" + i, e.getMessage());
                }
            }
            return out;
        }

        private HostInfo readHost(JsonNode node) {
            if (node == null || node.isNull()) return HostInfo.NONE;
            if (!node.isObject()) {
                problem("/host", "host must be an object {kernelRelease, cmdline, iommu}");
                return HostInfo.NONE;
            }
            return new HostInfo(optText(node, "/host", "kernelRelease"), optText(node, "/host", "cmdline"),
                    optText(node, "/host", "iommu"));
        }

        private String optText(JsonNode obj, String ptr, String key) {
            JsonNode n = obj.get(key);
            if (n == null || n.isNull()) return null;
            if (!n.isTextual()) {
                problem(ptr + "/" + key, key + " must be a string");
                return null;
            }
            return n.asText();
        }

        /// A bus number: 0 to 255, as a bridge's 8-bit bus number registers hold it.
        private Integer busNumber(JsonNode obj, String ptr, String key) {
            Integer v = optInt(obj, ptr, key);
            if (v != null && (v < 0 || v > 0xff)) {
                problem(ptr + "/" + key, key + " must be a bus number from 0 to 255, found " + v);
                return null;
            }
            return v;
        }

        private Integer optInt(JsonNode obj, String ptr, String key) {
            JsonNode n = obj.get(key);
            if (n == null || n.isNull()) return null;
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                problem(ptr + "/" + key, key + " must be an integer");
                return null;
            }
            return n.asInt();
        }

        private Integer optHex(JsonNode obj, String ptr, String key, int bits) {
            JsonNode n = obj.get(key);
            if (n == null || n.isNull()) return null;
            String t = n.isTextual() ? n.asText().trim() : "";
            if (t.matches("0[xX][0-9a-fA-F]{1,8}")) {
                long v = Long.parseLong(t.substring(2), 16);
                if (v < (1L << bits)) return (int) v;
            }
            problem(ptr + "/" + key, key + " must be a hex string of at most " + bits + " bits such as \"0x"
                    + "0".repeat(bits / 4) + "\", found " + shown(n));
            return null;
        }

        private PciAddress address(JsonNode obj, String ptr, String key, boolean required) {
            JsonNode n = obj.get(key);
            if (n == null) {
                if (required) problem(ptr + "/" + key, "missing required key '" + key + "'");
                return null;
            }
            if (n.isNull()) return null;
            if (!n.isTextual() || !PciAddress.isValid(n.asText())) {
                problem(ptr + "/" + key, "malformed BDF " + shown(n) + " (DDDD:BB:DD.F, lower-case hex)");
                return null;
            }
            return PciAddress.parse(n.asText());
        }

        private PciFunction readDevice(JsonNode d, String ptr) {
            if (!d.isObject()) {
                problem(ptr, "a device is a JSON object");
                return null;
            }
            int before = problems.size();
            PciAddress bdf = address(d, ptr, "bdf", true);
            if (bdf == null && d.has("bdf") && d.get("bdf").isNull()) problem(ptr + "/bdf", "bdf cannot be null");
            PciId id = null;
            JsonNode idNode = d.get("id");
            if (idNode == null) {
                problem(ptr + "/id", "missing required key 'id'");
            } else {
                try {
                    id = PciId.parse(idNode.isTextual() ? idNode.asText() : null);
                } catch (IllegalArgumentException e) {
                    problem(ptr + "/id", "malformed ID " + shown(idNode) + " (vvvv:dddd)");
                }
            }
            DeviceKind kind = null;
            JsonNode kindNode = d.get("kind");
            if (kindNode == null) {
                problem(ptr + "/kind", "missing required key 'kind'");
            } else {
                kind = kindNode.isTextual() ? DeviceKind.fromJson(kindNode.asText()).orElse(null) : null;
                if (kind == null) problem(ptr + "/kind", "unknown kind " + shown(kindNode));
            }
            if (!d.has("parent")) problem(ptr + "/parent", "missing required key 'parent' (null on a root bus)");
            PciAddress parent = address(d, ptr, "parent", false);
            PciAddress physfn = address(d, ptr, "physfn", false);
            if (kind == DeviceKind.VF && physfn == null && !d.has("physfn")) {
                problem(ptr + "/physfn", "a vf needs 'physfn', the BDF of its physical function");
            }
            Acs acs = Acs.ABSENT;
            JsonNode acsNode = d.get("acs");
            if (acsNode != null && acsNode.isTextual() && acsNode.asText().equals("unknown")) {
                acs = Acs.UNKNOWN;
            } else {
                Integer acsCtl = optHex(d, ptr, "acs", 16);
                if (acsCtl != null) acs = new Acs.Present(acsCtl, null);
            }
            Integer acsCap = optHex(d, ptr, "acsCap", 16);
            if (acs instanceof Acs.Present p && acsCap != null) acs = new Acs.Present(p.control(), acsCap);
            Integer cls = optHex(d, ptr, "class", 24);
            String name = optText(d, ptr, "name");
            Integer numa = optInt(d, ptr, "numaNode");
            Integer group = optInt(d, ptr, "iommuGroup");
            Link link = readLink(d.get("link"), ptr + "/link");
            String driver = optText(d, ptr, "driver");
            List<String> block = strings(d.get("block"), ptr + "/block");
            P2pMem p2pmem = readP2pMem(d.get("p2pmem"), ptr + "/p2pmem");
            NvmeCmb cmb = readCmb(d.get("cmb"), ptr + "/cmb");
            String note = optText(d, ptr, "note");
            List<String> inferred = strings(d.get("inferred"), ptr + "/inferred");
            Integer secondary = busNumber(d, ptr, "secondaryBus");
            Integer subordinate = busNumber(d, ptr, "subordinateBus");
            Map<String, Object> nested = new LinkedHashMap<>();
            nestedUnknown(d, ptr, "link", Set.of("speed", "width", "maxSpeed", "maxWidth"), nested);
            nestedUnknown(d, ptr, "p2pmem", Set.of("size", "available", "published", "allocate"), nested);
            nestedUnknown(d, ptr, "cmb", Set.of("cmbloc", "cmbsz"), nested);
            Map<String, Object> extra = new LinkedHashMap<>();
            for (Iterator<String> it = d.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!DEVICE_KEYS.contains(k)) {
                    extra.put(k, MAPPER.convertValue(d.get(k), Object.class));
                    notice(ptr + "/" + k, "unknown key '" + k + "' kept as is");
                }
            }
            extra.putAll(nested);
            if (problems.size() > before || bdf == null || id == null || kind == null) return null;
            return PciFunction.builder(bdf, id, kind).parent(parent).physfn(physfn).acs(acs).acsCap(acsCap)
                    .classCode(cls).name(name).numaNode(numa).iommuGroup(group).link(link).driver(driver)
                    .block(block).p2pmem(p2pmem).cmb(cmb).note(note).secondaryBus(secondary).subordinateBus(subordinate)
                    .inferred(new TreeSet<>(inferred))
                    .extra(extra).build();
        }

        private List<String> strings(JsonNode arr, String ptr) {
            List<String> out = new ArrayList<>();
            if (arr == null || arr.isNull()) return out;
            if (!arr.isArray()) {
                problem(ptr, "must be an array of strings");
                return out;
            }
            for (int i = 0; i < arr.size(); i++) {
                if (!arr.get(i).isTextual()) problem(ptr + "/" + i, "must be a string");
                else out.add(arr.get(i).asText());
            }
            return out;
        }

        private Link readLink(JsonNode n, String ptr) {
            if (n == null || n.isNull()) return null;
            if (!n.isObject()) {
                problem(ptr, "link must be an object {speed, width, maxSpeed, maxWidth}");
                return null;
            }
            return new Link(optText(n, ptr, "speed"), optInt(n, ptr, "width"), optText(n, ptr, "maxSpeed"),
                    optInt(n, ptr, "maxWidth"));
        }

        private P2pMem readP2pMem(JsonNode n, String ptr) {
            if (n == null || n.isNull()) return null;
            if (!n.isObject()) {
                problem(ptr, "p2pmem must be an object {size, available, published}");
                return null;
            }
            long size = nonNegativeLong(n, ptr, "size");
            long available = n.has("available") ? nonNegativeLong(n, ptr, "available") : size;
            JsonNode pub = n.get("published");
            boolean published = false;
            if (pub != null && !pub.isNull()) {
                if (!pub.isBoolean()) problem(ptr + "/published", "published must be true or false");
                else published = pub.asBoolean();
            }
            JsonNode alloc = n.get("allocate");
            boolean allocate = false;
            if (alloc != null && !alloc.isNull()) {
                if (!alloc.isBoolean()) problem(ptr + "/allocate", "allocate must be true or false");
                else allocate = alloc.asBoolean();
            }
            return new P2pMem(size, available, published, allocate);
        }

        private long nonNegativeLong(JsonNode n, String ptr, String key) {
            JsonNode v = n.get(key);
            if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                problem(ptr + "/" + key, key + " must be a non-negative number of bytes");
                return 0;
            }
            return v.asLong();
        }

        private NvmeCmb readCmb(JsonNode n, String ptr) {
            if (n == null || n.isNull()) return null;
            if (!n.isObject()) {
                problem(ptr, "cmb must be an object {cmbloc, cmbsz}");
                return null;
            }
            Integer loc = optHex(n, ptr, "cmbloc", 32);
            Integer sz = optHex(n, ptr, "cmbsz", 32);
            if (loc == null && !n.has("cmbloc")) problem(ptr + "/cmbloc", "missing required key 'cmbloc'");
            if (sz == null && !n.has("cmbsz")) problem(ptr + "/cmbsz", "missing required key 'cmbsz'");
            return loc == null || sz == null ? null : new NvmeCmb(loc, sz);
        }
    }

    // ---- writing ------------------------------------------------------------------------------------------

    /// The topology as `p2pscope-topology/1` text (pretty-printed, keys in the spec's order, unknown keys kept).
    public static String write(Topology t) {
        try {
            return MAPPER.writeValueAsString(toJson(t)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise topology", e);
        }
    }

    public static void write(Topology t, Path file) throws IOException {
        Files.writeString(file, write(t), StandardCharsets.UTF_8);
    }

    public static ObjectNode toJson(Topology t) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("format", FORMAT);
        if (t.name() != null) root.put("name", t.name());
        if (t.description() != null) root.put("description", t.description());
        if (t.cpu().vendor() != CpuVendor.UNKNOWN) {
            ObjectNode cpu = root.putObject("cpu");
            cpu.put("vendor", t.cpu().vendor().id());
            cpu.put("family", t.cpu().family());
        }
        root.put("kernel", t.kernel().id());
        if (!t.allowlist().isEmpty()) {
            ObjectNode a = root.putObject("allowlist");
            ArrayNode add = a.putArray("add");
            t.allowlist().added().forEach(e -> add.add(e.toString()));
            ArrayNode rem = a.putArray("remove");
            t.allowlist().removed().forEach(e -> rem.add(e.toString()));
        }
        if (!t.host().isEmpty()) {
            ObjectNode h = root.putObject("host");
            if (t.host().kernelRelease() != null) h.put("kernelRelease", t.host().kernelRelease());
            if (t.host().cmdline() != null) h.put("cmdline", t.host().cmdline());
            if (t.host().iommu() != null) h.put("iommu", t.host().iommu());
        }
        t.extra().forEach((k, v) -> putExtra(root, k, v));
        ArrayNode devices = root.putArray("devices");
        for (PciFunction fn : t.functions()) devices.add(toJson(fn));
        return root;
    }

    /// An unknown key kept from the file. Unknown keys found inside a known object (`link`, `cpu`...) are kept
    /// under that object's name and merged back into it, never replacing what this version wrote.
    private static void putExtra(ObjectNode obj, String key, Object value) {
        JsonNode v = MAPPER.valueToTree(value);
        JsonNode existing = obj.get(key);
        if (existing instanceof ObjectNode known && v instanceof ObjectNode more) {
            more.properties().forEach(e -> {
                if (!known.has(e.getKey())) known.set(e.getKey(), e.getValue());
            });
        } else if (existing == null) {
            obj.set(key, v);
        }
    }

    private static ObjectNode toJson(PciFunction fn) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("bdf", fn.address().toString());
        d.put("id", fn.id().toString());
        d.put("kind", fn.kind().jsonName());
        if (fn.parent() == null) d.putNull("parent"); else d.put("parent", fn.parent().toString());
        if (fn.physfn() != null) d.put("physfn", fn.physfn().toString());
        switch (fn.acs()) {
            case Acs.Present p -> {
                d.put("acs", Acs.hex(p.control()));
                Integer cap = p.capability() != null ? p.capability() : fn.acsCap();
                if (cap != null) d.put("acsCap", Acs.hex(cap));
            }
            case Acs.Unknown u -> {
                d.put("acs", "unknown");
                if (fn.acsCap() != null) d.put("acsCap", Acs.hex(fn.acsCap()));
            }
            case Acs.Absent a -> {
                if (fn.acsCap() != null) d.put("acsCap", Acs.hex(fn.acsCap()));
            }
        }
        if (fn.classCode() != null) d.put("class", String.format(Locale.ROOT, "0x%06x", fn.classCode()));
        if (fn.name() != null) d.put("name", fn.name());
        if (fn.numaNode() != null) d.put("numaNode", fn.numaNode());
        if (fn.iommuGroup() != null) d.put("iommuGroup", fn.iommuGroup());
        if (fn.link() != null) {
            ObjectNode l = d.putObject("link");
            Link k = fn.link();
            if (k.speed() != null) l.put("speed", k.speed());
            if (k.width() != null) l.put("width", k.width());
            if (k.maxSpeed() != null) l.put("maxSpeed", k.maxSpeed());
            if (k.maxWidth() != null) l.put("maxWidth", k.maxWidth());
        }
        if (fn.driver() != null) d.put("driver", fn.driver());
        if (!fn.block().isEmpty()) {
            ArrayNode b = d.putArray("block");
            fn.block().forEach(b::add);
        }
        if (fn.p2pmem() != null) {
            ObjectNode p = d.putObject("p2pmem");
            p.put("size", fn.p2pmem().size());
            p.put("available", fn.p2pmem().available());
            p.put("published", fn.p2pmem().published());
            if (fn.p2pmem().allocate()) p.put("allocate", true);
        }
        if (fn.cmb() != null) {
            ObjectNode c = d.putObject("cmb");
            c.put("cmbloc", fn.cmb().cmblocHex());
            c.put("cmbsz", fn.cmb().cmbszHex());
        }
        if (fn.note() != null) d.put("note", fn.note());
        if (fn.secondaryBus() != null) d.put("secondaryBus", fn.secondaryBus());
        if (fn.subordinateBus() != null) d.put("subordinateBus", fn.subordinateBus());
        if (!fn.inferred().isEmpty()) {
            ArrayNode i = d.putArray("inferred");
            fn.inferred().forEach(i::add);
        }
        fn.extra().forEach((k, v) -> putExtra(d, k, v));
        return d;
    }
}
