package io.poolstate.app.options;

import io.poolstate.app.config.EnvVar;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --rpc}: the node. With {@code --network devnet} the devnet's own URL is the default. */
public final class RpcOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @EnvVar("POOLSTATE_RPC")
    @Option(names = "--rpc", paramLabel = "URL", description = "Node: http(s)://, ws(s)://, ipc:///path (default with --network devnet: the devnet's; "
            + "env POOLSTATE_RPC). Its path, query and user part (API keys) are never printed.")
    String rpc;

    /**
     * The node URL: {@code --rpc}, else the devnet's (WebSocket when {@code subscriptions}).
     *
     * @throws CommandLine.ParameterException saying where the URL can come from when there is none
     */
    public String url(NetworkOptions network, boolean subscriptions) {
        if (rpc != null && !rpc.isBlank()) {
            return rpc.trim();
        }
        if (network.isDevnet()) {
            return subscriptions ? network.devnet().wsUrl() : network.devnet().httpUrl();
        }
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing required option: '--rpc=URL' (or rpc in the config file, or POOLSTATE_RPC)");
    }
}
