package io.poolstate.app.config;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option's value comes from when its flag is not given: its environment variable ({@link EnvVar}), else
 * the configuration file, else the option's built-in default. Flags always win. Also checks that every key of the
 * file names an option of some command at its place, so a misspelt key is an error, not silently ignored.
 */
public final class LayeredDefaults implements CommandLine.IDefaultValueProvider {
    private final ConfigFile file;
    private final Function<String, String> env;

    public LayeredDefaults(ConfigFile file, Function<String, String> env) {
        this.file = file;
        this.env = env;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o) || o.command() == null) {
            return null;
        }
        return defaultValue(o, commandPath(o.command()));
    }

    /** The configuration file read, {@link ConfigFile#NONE} when none. */
    public ConfigFile file() {
        return file;
    }

    /** The value of {@code o} as if its command sat at {@code path}: its environment variable, else the file. */
    public String defaultValue(OptionSpec o, List<String> path) {
        String var = envVar(o, path);
        if (var != null) {
            String v = env.apply(var);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return file.lookup(path, key(o));
    }

    /** The environment variable that feeds {@code o} under {@code path}, or null. */
    public static String envVar(OptionSpec o, List<String> path) {
        if (o.userObject() instanceof Field f) {
            EnvVar e = f.getAnnotation(EnvVar.class);
            if (e != null) {
                return e.value().replace("{COMMAND}", path.isEmpty() ? "" : path.get(0).toUpperCase(Locale.ROOT).replace('-', '_'));
            }
        }
        return null;
    }

    /** The config key of an option: its longest name without the leading dashes. */
    public static String key(OptionSpec o) {
        return o.longestName().replaceFirst("^-+", "");
    }

    /** The command's names below the root, e.g. {@code [whales, run]}. */
    public static List<String> commandPath(CommandSpec c) {
        List<String> out = new ArrayList<>();
        for (CommandSpec s = c; s != null && s.parent() != null; s = s.parent()) {
            out.add(0, s.name());
        }
        return out;
    }

    /**
     * Checks the file's keys against the command tree under {@code root}.
     *
     * @throws IllegalArgumentException naming the file and the first unknown key, with the keys valid at its place
     */
    public static void validate(ConfigFile file, CommandLine root) {
        for (String dotted : file.tableListKeys()) {
            validateTableList(file, root, dotted);
        }
        for (String dotted : file.keys()) {
            String[] parts = dotted.split("\\.");
            CommandLine at = root;
            int i = 0;
            while (i < parts.length - 1 && at.getSubcommands().containsKey(parts[i])) {
                at = at.getSubcommands().get(parts[i]);
                i++;
            }
            if (i != parts.length - 1) {
                throw new IllegalArgumentException("config file " + file.path() + ": unknown table in key " + dotted + " (tables are commands: "
                        + String.join(", ", at.getSubcommands().keySet()) + ")");
            }
            TreeSet<String> valid = new TreeSet<>();
            collect(at, valid);
            if (!valid.contains(parts[i])) {
                throw new IllegalArgumentException("config file " + file.path() + ": unknown key " + dotted + " (no command "
                        + (at == root ? "" : "under '" + String.join(" ", commandPath(at.getCommandSpec())) + "' ") + "has --" + parts[i]
                        + "; keys here: " + String.join(", ", valid) + ")");
            }
        }
    }

    /**
     * An array of tables must be {@code <command>.chains} of a command that runs {@link PerChain several chains}, and
     * each entry's keys that command's own options.
     */
    private static void validateTableList(ConfigFile file, CommandLine root, String dotted) {
        String[] parts = dotted.split("\\.");
        CommandLine at = root;
        int i = 0;
        while (i < parts.length - 1 && at.getSubcommands().containsKey(parts[i])) {
            at = at.getSubcommands().get(parts[i]);
            i++;
        }
        if (i != parts.length - 1 || !parts[i].equals(PerChain.KEY) || !(at.getCommandSpec().userObject() instanceof PerChain)) {
            throw new IllegalArgumentException("config file " + file.path() + ": " + dotted + " is a list of tables; only [[whitelist.chains]] takes one");
        }
        TreeSet<String> valid = new TreeSet<>();
        for (OptionSpec o : at.getCommandSpec().options()) {
            if (!o.usageHelp() && !o.versionHelp() && !key(o).equals("config")) {
                valid.add(key(o));
            }
        }
        int n = 0;
        for (Map<String, String> entry : file.tableList(dotted)) {
            n++;
            for (String k : entry.keySet()) {
                if (!valid.contains(k)) {
                    throw new IllegalArgumentException("config file " + file.path() + ": unknown key " + k + " in entry " + n + " of [[" + dotted
                            + "]] (keys here: " + String.join(", ", valid) + ")");
                }
            }
        }
    }

    private static void collect(CommandLine c, TreeSet<String> out) {
        for (OptionSpec o : c.getCommandSpec().options()) {
            if (!o.usageHelp() && !o.versionHelp() && !key(o).equals("config")) {
                out.add(key(o));
            }
        }
        for (Map.Entry<String, CommandLine> s : c.getSubcommands().entrySet()) {
            if (!s.getKey().equals("help")) {
                collect(s.getValue(), out);
            }
        }
    }
}
