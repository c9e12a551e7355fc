package io.poolstate.app.devnet;

import picocli.CommandLine.Command;

/** {@code ./poolstate devnet up|traffic}. */
@Command(name = "devnet", mixinStandardHelpOptions = true,
        description = "Local Anvil chain with real Uniswap V2/V3/V4, pools and traffic",
        subcommands = {DevnetUpCommand.class, DevnetTrafficCommand.class})
public final class DevnetCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
