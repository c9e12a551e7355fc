package io.poolstate.app.options;

import io.poolstate.app.config.EnvVar;
import io.poolstate.app.logging.SecretMask;
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

    @EnvVar("POOLSTATE_RPC_FILE")
    @Option(names = "--rpc-file", paramLabel = "FILE", description = "File holding the node URL (a container or systemd secret; env POOLSTATE_RPC_FILE).")
    java.nio.file.Path rpcFile;

    /**
     * The node URL: {@code --rpc}, else the devnet's (WebSocket when {@code subscriptions}).
     *
     * @throws CommandLine.ParameterException saying where the URL can come from when there is none
     */
    public String url(NetworkOptions network, boolean subscriptions) {
        if ((rpc == null || rpc.isBlank()) && rpcFile != null) {
            try {
                rpc = java.nio.file.Files.readString(rpcFile).strip();
            } catch (java.io.IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--rpc-file is not readable: " + rpcFile + " (" + e.getMessage() + ")");
            }
        }
        if (rpc != null && !rpc.isBlank()) {
            String url = rpc.trim();
            maskSecrets(url);
            return url;
        }
        if (network.isDevnet()) {
            return subscriptions ? network.devnet().wsUrl() : network.devnet().httpUrl();
        }
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing required option: '--rpc=URL' (or --rpc-file, rpc in the config file, or POOLSTATE_RPC)");
    }

    /** Registers the URL's user part, path and query (where providers put API keys) with the log mask. */
    static void maskSecrets(String url) {
        if (url.regionMatches(true, 0, "ipc://", 0, 6)) {
            return;
        }
        try {
            java.net.URI u = java.net.URI.create(url);
            SecretMask.register(u.getRawUserInfo());
            SecretMask.register(u.getRawQuery());
            if (u.getRawPath() != null && u.getRawPath().length() > 1) {
                SecretMask.register(u.getRawPath());
            }
        } catch (IllegalArgumentException e) {
            SecretMask.register(url); // not a URI: the parser's error names it redacted, mask the whole of it too
        }
    }
}
