package io.poolstate.app.whales;

import io.poolstate.app.config.EnvVar;
import io.poolstate.app.options.NetworkOptions;
import io.poolstate.app.options.PostgresOptions;
import io.poolstate.app.options.RpcOptions;
import io.poolstate.dex.network.NetworkPreset;
import io.poolstate.eth.Address;
import io.poolstate.postgres.Database;
import io.poolstate.whales.WhaleSettings;
import io.poolstate.whales.analysis.Window;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The options shared by {@code whales run} and {@code whales snapshot}; the network, node and database come from
 * the commands' {@link NetworkOptions}, {@link RpcOptions} and {@link PostgresOptions}.
 */
public final class WhaleOptions {
    @EnvVar("POOLSTATE_WHALE_TOKEN")
    @Option(names = "--token", required = true, paramLabel = "TOKEN",
            description = "ERC-20 to track: its address, or the network's symbol for it (WETH, USDC, ...), or ETH (then --holders or --holders-query). "
                    + "Env POOLSTATE_WHALE_TOKEN.")
    String token;

    @Option(names = "--holders", paramLabel = "FILE", description = "File of candidate addresses (one per line, # comments): the list in file order instead of ranking the Transfer history.")
    Path holders;

    @Option(names = "--holders-query", paramLabel = "SQL", description = "SQL returning candidate addresses (first column, 0x-hex) in rank order, run read-only on --postgres "
            + "within --holders-query-timeout: a table of addresses instead of ranking the Transfer history.")
    String holdersQuery;

    @Option(names = "--holders-query-timeout", paramLabel = "DURATION", defaultValue = "30s", description = "The server cancels --holders-query after this (default: ${DEFAULT-VALUE}).")
    Duration holdersQueryTimeout;

    @Option(names = "--from-block", defaultValue = "0", description = "First block of the token's Transfer history (its deployment block; default: ${DEFAULT-VALUE}).")
    long fromBlock;

    @Option(names = "--top", defaultValue = "1000", description = "List size N (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--batch-size", defaultValue = "500", description = "Calls per Multicall3 batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--attempts", defaultValue = "3", description = "Tries per balance request before the snapshot is marked incomplete (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--interval", defaultValue = "1h", description = "Snapshot interval, e.g. 1h, 15m, 30s; slots are aligned to it in UTC and are the clock the windows compare (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--confirmations", defaultValue = "2", description = "Snapshot block = head - N (default: ${DEFAULT-VALUE}).")
    int confirmations;

    @Option(names = "--windows", defaultValue = "1h,24h,7d", description = "Analysis windows, compared by slot start (default: ${DEFAULT-VALUE}).")
    String windows;

    @Option(names = "--exclude", split = ",", description = "Addresses never on the list (exchanges, pools); repeat or comma-separate.")
    List<String> exclude;

    @Option(names = "--exclude-file", description = "File of addresses never on the list (one per line).")
    Path excludeFile;

    @Option(names = "--include-contracts", description = "Keep addresses with code on the list (default: left out).")
    boolean includeContracts;

    @Option(names = "--multicall", paramLabel = "ADDRESS", description = "Multicall3 (default: the network's).")
    String multicall;

    @Option(names = "--schema", description = "Postgres schema for the whale tables (default: the connection's).")
    String schema;

    /** The settings; {@code fromTable} (the --holders-query result) is the candidate list when not null. */
    WhaleSettings settings(NetworkOptions network, List<Address> fromTable) throws IOException {
        if (holders != null && holdersQuery != null) {
            throw new IllegalArgumentException("give --holders FILE or --holders-query SQL, not both");
        }
        Address tokenAddress = token.equalsIgnoreCase("ETH") ? null : network.token(token);
        Set<Address> excluded = new LinkedHashSet<>();
        if (exclude != null) {
            exclude.stream().filter(s -> !s.isBlank()).forEach(s -> excluded.add(Address.of(s.trim())));
        }
        if (excludeFile != null) {
            excluded.addAll(readAddresses(excludeFile));
        }
        List<Address> given = holders != null ? readAddresses(holders) : fromTable;
        return new WhaleSettings(tokenAddress, given, fromBlock, top, batchSize, attempts,
                Window.parse(interval).length(), confirmations, Window.parseList(windows), excluded, !includeContracts,
                network.address(multicall, NetworkPreset::multicall3));
    }

    static List<Address> readAddresses(Path file) throws IOException {
        List<Address> out = new ArrayList<>();
        int line = 0;
        for (String l : Files.readAllLines(file)) {
            line++;
            String t = l.replaceAll("#.*", "").trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                out.add(Address.of(t));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad address in " + file + ": line=" + line + " value=" + t, e);
            }
        }
        return out;
    }

    /** Runs --holders-query read-only within its time-out; each row's first column must be an address. */
    List<Address> queryAddresses(Database db) throws java.sql.SQLException {
        List<Address> out = new ArrayList<>();
        int row = 0;
        for (String v : db.queryReadOnly(holdersQuery, holdersQueryTimeout)) {
            row++;
            try {
                out.add(Address.of(v == null ? "" : v.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad address from --holders-query: row=" + row + " value=" + v, e);
            }
        }
        return out;
    }
}
