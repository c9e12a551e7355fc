package io.poolstate.app;

import io.poolstate.app.config.ConfigFile;
import io.poolstate.app.config.DurationConverter;
import io.poolstate.app.config.LayeredDefaults;
import io.poolstate.app.demo.DemoCommand;
import io.poolstate.app.devnet.DevnetCommand;
import io.poolstate.app.networks.NetworksCommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The launcher: {@code ./poolstate <command>}. Every option's value comes from its flag, else its environment
 * variable, else the configuration file ({@code --config FILE} or {@code POOLSTATE_CONFIG}), else its default.
 */
@Command(name = "poolstate", mixinStandardHelpOptions = true, versionProvider = PoolstateCommand.Version.class,
        description = "Exact, real-time state of Uniswap V2/V3/V4 pools.",
        subcommands = {DevnetCommand.class, io.poolstate.app.whitelist.WhitelistCommand.class, io.poolstate.app.feed.FeedCommand.class,
            io.poolstate.app.arena.ArenaCommand.class, io.poolstate.app.whales.WhalesCommand.class, DemoCommand.class, NetworksCommand.class,
            CommandLine.HelpCommand.class})
public final class PoolstateCommand implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PoolstateCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "TOML configuration file (default: env POOLSTATE_CONFIG).")
    Path config;

    /** Exit status when a thread failed in a way nothing in it could handle: a supervisor should restart the process. */
    public static final int EXIT_THREAD_FAILED = 70;

    public static void main(String[] args) {
        routeJavaUtilLogging();
        Thread.setDefaultUncaughtExceptionHandler(PoolstateCommand::threadDied);
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System::getenv));
    }

    /**
     * Runs the launcher with {@code args}: reads the configuration file named by {@code --config} (or
     * {@code POOLSTATE_CONFIG} in {@code env}), then parses and executes. Returns the exit status (2 for a bad
     * configuration file or bad options).
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Function<String, String> env) {
        ConfigFile file;
        CommandLine cl;
        try {
            file = configFile(args, env);
            cl = commandLine(file, env);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        }
        cl.setOut(out);
        cl.setErr(err);
        if (file.path() != null && file.readableByOthers()) {
            LOG.warn("config file is readable by other users; keep secrets in environment variables or files only the service can read: file={}",
                    file.path());
        }
        return cl.execute(args);
    }

    /** A thread ended by an exception nothing caught: logged once, then the process ends with {@link #EXIT_THREAD_FAILED}. */
    private static void threadDied(Thread t, Throwable e) {
        LOG.error("thread failed, stopping the process for a restart: thread={} reason={}", t.getName(), e.toString(), e);
        Thread.ofPlatform().daemon().name("exit").start(() -> System.exit(EXIT_THREAD_FAILED));
    }

    /** Sends java.util.logging (jnats, the JDK) through SLF4J, so every line has the same format and masking. */
    public static void routeJavaUtilLogging() {
        if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
            org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
            org.slf4j.bridge.SLF4JBridgeHandler.install();
        }
    }

    /** The command line with no configuration file and the process's environment (help, tests). */
    public static CommandLine commandLine() {
        return commandLine(ConfigFile.NONE, System::getenv);
    }

    /**
     * The configured command line: defaults from {@code env} and {@code file}, durations in short or ISO form,
     * one-line errors.
     *
     * @throws IllegalArgumentException when the file has a key no command knows
     */
    public static CommandLine commandLine(ConfigFile file, Function<String, String> env) {
        CommandLine cl = new CommandLine(new PoolstateCommand());
        cl.registerConverter(Duration.class, new DurationConverter());
        cl.setExecutionExceptionHandler(new CliErrors());
        LayeredDefaults.validate(file, cl);
        cl.setDefaultValueProvider(new LayeredDefaults(file, env));
        return cl;
    }

    /** The file named by {@code --config FILE}/{@code --config=FILE} in {@code args}, else by {@code POOLSTATE_CONFIG}. */
    static ConfigFile configFile(String[] args, Function<String, String> env) {
        String path = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--config") && i + 1 < args.length) {
                path = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                path = args[i].substring("--config=".length());
            }
        }
        if (path == null) {
            path = env.apply("POOLSTATE_CONFIG");
        }
        return path == null || path.isBlank() ? ConfigFile.NONE : ConfigFile.read(Path.of(path));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PoolstateCommand.class.getPackage().getImplementationVersion();
            return new String[] {"poolstate " + (v == null ? "development build" : v)};
        }
    }
}
