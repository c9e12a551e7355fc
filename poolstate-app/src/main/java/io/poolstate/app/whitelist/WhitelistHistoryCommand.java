package io.poolstate.app.whitelist;

import io.poolstate.postgres.Database;
import io.poolstate.whitelist.store.WhitelistStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./poolstate whitelist history}: per snapshot, the count, the adds and removes with reasons. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Print the whitelist snapshots with their adds and removes")
public final class WhitelistHistoryCommand implements Callable<Integer> {
    @Option(names = "--chain", defaultValue = "${env:POOLSTATE_CHAIN:-ethereum}", description = "Chain (default: ${DEFAULT-VALUE}).")
    String chain;

    @Option(names = "--postgres", defaultValue = "${env:POSTGRES_URL}", description = "JDBC URL; default from POSTGRES_HOST/PORT/DB/USER/PASSWORD.")
    String postgres;

    @Option(names = "--limit", defaultValue = "20", description = "Snapshots to show, newest first (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws Exception {
        try (Database db = Database.open(postgres, null, WhitelistStore.MIGRATIONS)) {
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
