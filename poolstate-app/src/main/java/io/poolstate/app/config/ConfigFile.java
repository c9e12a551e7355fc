package io.poolstate.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A TOML configuration file: every key is a long option name without its dashes ({@code rpc}, {@code nats},
 * {@code postgres}, {@code network}, {@code metrics}, ...). Keys at the top apply to every command that has the
 * option; a table named after a command ({@code [feed]}, {@code [whitelist]}, {@code [whales]},
 * {@code [whales.run]}) applies to that command and its subcommands, and wins over the top. Arrays give repeated
 * options. An array of tables ({@code [[whitelist.chains]]}) is a list of entries, each its own set of keys
 * ({@link #tableList}): the chains one process serves. Immutable once read.
 */
public final class ConfigFile {
    /** No file: every lookup is empty. */
    public static final ConfigFile NONE = new ConfigFile(null, Map.of(), Map.of());

    private final Path path;
    /** Flattened: {@code "whales.run.token"} → value text. */
    private final Map<String, String> values;
    /** Arrays of tables: {@code "whitelist.chains"} → its entries, each flattened like the top. */
    private final Map<String, List<Map<String, String>>> tableLists;

    private ConfigFile(Path path, Map<String, String> values, Map<String, List<Map<String, String>>> tableLists) {
        this.path = path;
        this.values = values;
        this.tableLists = tableLists;
    }

    /**
     * Reads {@code path}.
     *
     * @throws IllegalArgumentException naming the file and the problem when it is missing or not valid TOML
     */
    public static ConfigFile read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("config file not found: " + path);
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(path.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("config file " + path + " is not valid TOML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        Map<String, String> flat = new LinkedHashMap<>();
        Map<String, List<Map<String, String>>> lists = new LinkedHashMap<>();
        flatten("", root, flat, lists, path);
        return new ConfigFile(path, flat, lists);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Map<String, List<Map<String, String>>> lists, Path path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(key + ".", v, out, lists, path);
            } else if (v.isArray() && !v.isEmpty() && v.get(0).isObject()) {
                if (lists == null) {
                    throw new IllegalArgumentException("config file " + path + ": key " + key + " holds a list of tables inside a list of tables");
                }
                List<Map<String, String>> entries = new ArrayList<>();
                for (JsonNode item : v) {
                    if (!item.isObject()) {
                        throw new IllegalArgumentException("config file " + path + ": key " + key + " mixes tables and values");
                    }
                    Map<String, String> entry = new LinkedHashMap<>();
                    flatten("", item, entry, null, path);
                    entries.add(entry);
                }
                lists.put(key, List.copyOf(entries));
            } else if (v.isArray()) {
                List<String> items = new ArrayList<>();
                for (JsonNode item : v) {
                    if (item.isContainerNode()) {
                        throw new IllegalArgumentException("config file " + path + ": key " + key + " holds nested lists or tables; give values");
                    }
                    items.add(item.asText());
                }
                out.put(key, String.join(",", items));
            } else {
                out.put(key, v.asText());
            }
        }
    }

    /** The file, or null for {@link #NONE}. */
    public Path path() {
        return path;
    }

    /** Every key, dotted ({@code whales.run.token}). */
    public Set<String> keys() {
        return values.keySet();
    }

    /** The dotted keys that hold arrays of tables ({@code whitelist.chains}). */
    public Set<String> tableListKeys() {
        return tableLists.keySet();
    }

    /** The entries of the array of tables at {@code dottedKey}, each flattened like the top; empty when there is none. */
    public List<Map<String, String>> tableList(String dottedKey) {
        return tableLists.getOrDefault(dottedKey, List.of());
    }

    /**
     * The value for {@code key} under {@code commandPath} (e.g. {@code [whales, run]}): the deepest table that has
     * it, else the top level; null when none does.
     */
    public String lookup(List<String> commandPath, String key) {
        for (int depth = commandPath.size(); depth >= 0; depth--) {
            String prefix = depth == 0 ? "" : String.join(".", commandPath.subList(0, depth)) + ".";
            String v = values.get(prefix + key);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** Whether others than the owner may read the file (it may hold secrets). */
    public boolean readableByOthers() {
        if (path == null) {
            return false;
        }
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(path);
            return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
