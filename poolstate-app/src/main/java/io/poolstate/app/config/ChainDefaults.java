package io.poolstate.app.config;

import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults for one entry of a {@link PerChain} command's {@code [[<command>.chains]]}: the entry's keys first — over
 * the environment and the rest of the file, since the entry is the most specific — then the command's usual
 * {@link LayeredDefaults} as if it sat at {@code path}. Flags still win; a flag that an entry also sets is refused
 * by the command, not silently overridden.
 */
public final class ChainDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> entry;
    private final LayeredDefaults base;
    private final List<String> path;

    public ChainDefaults(Map<String, String> entry, LayeredDefaults base, List<String> path) {
        this.entry = Map.copyOf(entry);
        this.base = base;
        this.path = List.copyOf(path);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o)) {
            return null;
        }
        String v = entry.get(LayeredDefaults.key(o));
        return v != null ? v : base.defaultValue(o, path);
    }
}
