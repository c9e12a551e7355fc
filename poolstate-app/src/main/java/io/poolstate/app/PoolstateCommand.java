package io.poolstate.app;

import io.poolstate.app.demo.DemoCommand;
import io.poolstate.app.devnet.DevnetCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The launcher: {@code ./poolstate <command>}. */
@Command(name = "poolstate", mixinStandardHelpOptions = true, versionProvider = PoolstateCommand.Version.class,
        description = "Exact, real-time state of Uniswap V2/V3/V4 pools.",
        subcommands = {DevnetCommand.class, io.poolstate.app.whitelist.WhitelistCommand.class, io.poolstate.app.feed.FeedCommand.class, io.poolstate.app.arena.ArenaCommand.class, io.poolstate.app.whales.WhalesCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class PoolstateCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Exit status when a thread failed in a way nothing in it could handle: a supervisor should restart the process. */
    public static final int EXIT_THREAD_FAILED = 70;

    public static void main(String[] args) {
        Thread.setDefaultUncaughtExceptionHandler(PoolstateCommand::threadDied);
        System.exit(commandLine().execute(args));
    }

    /** A thread ended by an exception nothing caught: logged once, then the process ends with {@link #EXIT_THREAD_FAILED}. */
    private static void threadDied(Thread t, Throwable e) {
        org.slf4j.LoggerFactory.getLogger(PoolstateCommand.class).error("thread failed, stopping the process for a restart: thread={} reason={}",
                t.getName(), e.toString(), e);
        Thread.ofPlatform().daemon().name("exit").start(() -> System.exit(EXIT_THREAD_FAILED));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PoolstateCommand());
        cl.setExecutionExceptionHandler(new CliErrors());
        return cl;
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
