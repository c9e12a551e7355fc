package io.poolstate.app.whales;

import io.poolstate.eth.Address;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.whales.WhaleSettings;
import io.poolstate.whales.analysis.Window;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The options shared by {@code whales run} and {@code whales snapshot}. */
public final class WhaleOptions {
    @Option(names = "--rpc", defaultValue = "${env:POOLSTATE_RPC}", required = true, description = "Node (http(s), ws(s) or ipc). Env POOLSTATE_RPC.")
    String rpc;

    @Option(names = "--token", defaultValue = "${env:POOLSTATE_WHALE_TOKEN}", required = true,
            description = "ERC-20 address to track, or ETH (then --holders is required). Env POOLSTATE_WHALE_TOKEN.")
    String token;

    @Option(names = "--holders", description = "File of candidate addresses (one per line, # comments): the list in file order instead of ranking the Transfer history.")
    Path holders;

    @Option(names = "--holders-query", description = "SQL returning candidate addresses (first column, 0x-hex) in rank order, run on --postgres: a table of addresses instead of ranking the Transfer history.")
    String holdersQuery;

    @Option(names = "--from-block", defaultValue = "0", description = "First block of the token's Transfer history (its deployment block; default: ${DEFAULT-VALUE}).")
    long fromBlock;

    @Option(names = "--top", defaultValue = "1000", description = "List size N (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--batch-size", defaultValue = "500", description = "Calls per Multicall3 batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--attempts", defaultValue = "3", description = "Tries per balance request before the snapshot is marked incomplete (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--interval", defaultValue = "1h", description = "Snapshot interval, e.g. 1h, 15m, 30s; slots are aligned to it in UTC (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--confirmations", defaultValue = "2", description = "Snapshot block = head - N (default: ${DEFAULT-VALUE}).")
    int confirmations;

    @Option(names = "--windows", defaultValue = "1h,24h,7d", description = "Analysis windows (default: ${DEFAULT-VALUE}).")
    String windows;

    @Option(names = "--exclude", split = ",", description = "Addresses never on the list (exchanges, pools); repeat or comma-separate.")
    List<String> exclude;

    @Option(names = "--exclude-file", description = "File of addresses never on the list (one per line).")
    Path excludeFile;

    @Option(names = "--include-contracts", description = "Keep addresses with code on the list (default: left out).")
    boolean includeContracts;

    @Option(names = "--multicall", defaultValue = "0xcA11bde05977b3631167028862bE2a173976CA11", description = "Multicall3 address (default: ${DEFAULT-VALUE}).")
    String multicall;

    @Option(names = "--postgres", defaultValue = "${env:POSTGRES_URL}", description = "JDBC URL; default from POSTGRES_HOST/PORT/DB/USER/PASSWORD.")
    String postgres;

    @Option(names = "--schema", description = "Postgres schema for the whale tables (default: the connection's).")
    String schema;

    WhaleSettings settings() throws IOException {
        return settings(null);
    }

    /** The settings; {@code fromTable} (the --holders-query result) is the candidate list when not null. */
    WhaleSettings settings(List<Address> fromTable) throws IOException {
        if (holders != null && holdersQuery != null) {
            throw new IllegalArgumentException("give --holders FILE or --holders-query SQL, not both");
        }
        Address tokenAddress = token.equalsIgnoreCase("ETH") ? null : Address.of(token);
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
                multicall == null ? Multicall3.CANONICAL : Address.of(multicall));
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

    /** Runs --holders-query; each row's first column must be an address. */
    static List<Address> queryAddresses(javax.sql.DataSource ds, String sql) throws java.sql.SQLException {
        List<Address> out = new ArrayList<>();
        try (var c = ds.getConnection(); var st = c.createStatement(); var r = st.executeQuery(sql)) {
            int row = 0;
            while (r.next()) {
                row++;
                String v = r.getString(1);
                try {
                    out.add(Address.of(v == null ? "" : v.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("bad address from --holders-query: row=" + row + " value=" + v, e);
                }
            }
        }
        return out;
    }
}
