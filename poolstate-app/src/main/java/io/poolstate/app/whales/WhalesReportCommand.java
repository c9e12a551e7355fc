package io.poolstate.app.whales;

import io.poolstate.app.config.EnvVar;
import io.poolstate.app.options.NetworkOptions;
import io.poolstate.app.options.PostgresOptions;
import io.poolstate.postgres.Database;
import io.poolstate.whales.analysis.Window;
import io.poolstate.whales.report.ScoreChart;
import io.poolstate.whales.report.WhaleReport;
import io.poolstate.whales.store.WhaleStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./poolstate whales report}: the collective analysis of the latest snapshot, optionally a score chart. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Print the whales' accumulation analysis; optionally chart the score")
public final class WhalesReportCommand implements Callable<Integer> {
    @Mixin
    NetworkOptions network;

    @Mixin
    PostgresOptions postgres;

    @EnvVar("POOLSTATE_WHALE_TOKEN")
    @Option(names = "--token", required = true, paramLabel = "TOKEN", description = "The tracked ERC-20 (address or the network's symbol), or ETH. Env POOLSTATE_WHALE_TOKEN.")
    String token;

    @Option(names = "--decimals", defaultValue = "18", description = "The asset's decimals for display (default: ${DEFAULT-VALUE}).")
    int decimals;

    @Option(names = "--schema", description = "Postgres schema of the whale tables.")
    String schema;

    @Option(names = "--windows", defaultValue = "1h,24h,7d", description = "Windows charted (default: ${DEFAULT-VALUE}).")
    String windows;

    @Option(names = "--chart", description = "Write the score over time to this .svg or .png file.")
    Path chart;

    @Option(names = "--points", defaultValue = "500", description = "Snapshots charted, newest (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--recent", defaultValue = "5", description = "Recent snapshots listed (default: ${DEFAULT-VALUE}).")
    int recent;

    @Override
    public Integer call() throws Exception {
        String asset = token.equalsIgnoreCase("ETH") ? "ETH" : network.token(token).toString();
        try (Database db = Database.open(postgres.settings(), schema, WhaleStore.MIGRATIONS)) {
            WhaleStore store = new WhaleStore(db.dataSource(), asset);
            new WhaleReport(store, decimals).print(System.out, recent);
            if (chart != null) {
                ScoreChart c = new ScoreChart();
                for (Window w : Window.parseList(windows)) {
                    c.add(w.name(), store.scoreHistory(w.name(), points));
                }
                c.write(chart);
                System.out.println("whales: chart written to " + chart);
            }
            return 0;
        }
    }
}
