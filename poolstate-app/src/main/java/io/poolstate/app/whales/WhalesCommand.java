package io.poolstate.app.whales;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./poolstate whales run|snapshot --once|report}. */
@Command(name = "whales", mixinStandardHelpOptions = true, description = "Top-holder balance snapshots and accumulation scores",
        subcommands = {WhalesRunCommand.class, WhalesSnapshotCommand.class, WhalesReportCommand.class})
public final class WhalesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
