package io.poolstate.app.whitelist;

import io.poolstate.app.options.NetworkOptions;
import io.poolstate.app.options.PostgresOptions;
import io.poolstate.postgres.Database;
import io.poolstate.whitelist.store.WhitelistStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./poolstate whitelist history}: per snapshot, the count, the adds and removes with reasons. Needs only Postgres. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Print the whitelist snapshots with their adds and removes")
public final class WhitelistHistoryCommand implements Callable<Integer> {
    @Mixin
    NetworkOptions network;

    @Mixin
    PostgresOptions postgres;

    @Option(names = "--limit", defaultValue = "20", description = "Snapshots to show, newest first (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws Exception {
        String chain = network.chain();
        try (Database db = Database.open(postgres.settings(), null, WhitelistStore.MIGRATIONS)) {
            var history = new WhitelistStore(db.dataSource(), chain).history(limit);
            if (history.isEmpty()) {
                System.out.println("no whitelist snapshots for chain " + chain);
            }
            for (var h : history) {
                System.out.printf("snapshot %d  %s  %-10s %-9s pools=%d%n", h.snapshotId(), h.createdAt(), h.updateType(), h.status(), h.poolCount());
                for (String[] c : h.changes()) {
                    System.out.printf("    %-6s %s  %s%n", c[0], c[1], c[2]);
                }
            }
        }
        return 0;
    }
}
