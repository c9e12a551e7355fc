package io.poolstate.app.networks;

import io.poolstate.dex.network.NetworkPreset;
import io.poolstate.dex.network.NetworkPresets;
import io.poolstate.dex.pool.Token;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./poolstate networks [NAME...]}: the preset table with the source of every value; {@code networks check} verifies one on a node. */
@Command(name = "networks", mixinStandardHelpOptions = true, description = "List the network presets and where each address comes from",
        subcommands = NetworksCheckCommand.class)
public final class NetworksCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "NAME", description = "Networks to show (default: all).")
    List<String> names;

    @Override
    public Integer call() {
        List<NetworkPreset> shown = new ArrayList<>();
        if (names == null || names.isEmpty()) {
            shown.addAll(NetworkPresets.all().values());
        } else {
            names.forEach(n -> shown.add(NetworkPresets.named(n)));
        }
        java.util.Map<String, Integer> sources = new java.util.LinkedHashMap<>();
        shown.forEach(p -> print(p, System.out, sources));
        System.out.println("sources:");
        sources.forEach((text, n) -> System.out.printf("  [%d] %s%n", n, text));
        System.out.println("devnet: read from the running devnet's deployment.json (./poolstate devnet up); see `./poolstate networks check --network devnet`");
        return 0;
    }

    static void print(NetworkPreset p, PrintStream out, java.util.Map<String, Integer> sources) {
        out.printf("%s (chain id %d)%n", p.name(), p.chainId());
        row(out, sources, p, "v2_factory", p.v2Factory() == null ? null : p.v2Factory().toChecksumString());
        row(out, sources, p, "v3_factory", p.v3Factory() == null ? null : p.v3Factory().toChecksumString());
        row(out, sources, p, "pool_manager", p.poolManager() == null ? null : p.poolManager().toChecksumString());
        row(out, sources, p, "multicall3", p.multicall3().toChecksumString());
        row(out, sources, p, "weth", p.weth() == null ? null : p.weth().address().toChecksumString());
        for (Token s : p.stables()) {
            row(out, sources, p, "stable:" + s.symbol(), s.address().toChecksumString() + " (" + s.decimals() + " decimals)");
        }
        row(out, sources, p, "v2_pair_init_code_hash", p.v2PairInitCodeHash() == null ? null : p.v2PairInitCodeHash().toString());
        row(out, sources, p, "v3_pool_init_code_hash", p.v3PoolInitCodeHash() == null ? null : p.v3PoolInitCodeHash().toString());
        if (p.discoveryStartBlock() > 0) {
            row(out, sources, p, "discovery_start_block", Long.toString(p.discoveryStartBlock()));
        }
        p.notListed().forEach(n -> out.printf("  not listed: %s%n", n));
    }

    private static void row(PrintStream out, java.util.Map<String, Integer> sources, NetworkPreset p, String field, String value) {
        if (value != null) {
            int n = sources.computeIfAbsent(p.source(field), k -> sources.size() + 1);
            out.printf("  %-24s %-66s [%d]%n", field, value, n);
        }
    }
}
