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
 * options. Immutable once read.
 */
public final class ConfigFile {
    /** No file: every lookup is empty. */
    public static final ConfigFile NONE = new ConfigFile(null, Map.of());

    private final Path path;
    /** Flattened: {@code "whales.run.token"} → value text. */
    private final Map<String, String> values;

    private ConfigFile(Path path, Map<String, String> values) {
        this.path = path;
        this.values = values;
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
        flatten("", root, flat, path);
        return new ConfigFile(path, flat);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(key + ".", v, out, path);
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
