package io.poolstate.app.whales;

import io.poolstate.app.HostPort;
import io.poolstate.app.MetricsEndpoint;
import io.poolstate.app.config.EnvVar;
import io.poolstate.app.options.HttpLimitOptions;
import io.poolstate.app.options.MetricsOptions;
import io.poolstate.app.options.NetworkOptions;
import io.poolstate.app.options.PostgresOptions;
import io.poolstate.app.options.RpcOptions;
import io.poolstate.whales.WhaleSchedulerAgent;
import io.poolstate.whales.report.WhaleHttpServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./poolstate whales run}: a snapshot at start-up, then one per interval slot, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Snapshot at start-up and every --interval until stopped")
public final class WhalesRunCommand implements Callable<Integer> {
    @Mixin
    WhaleOptions options;

    @Mixin
    NetworkOptions network;

    @Mixin
    RpcOptions rpc;

    @Mixin
    PostgresOptions postgres;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    HttpLimitOptions httpLimits;

    @EnvVar("POOLSTATE_WHALES_HTTP")
    @Option(names = "--http", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8091",
            description = "Whale API (/v1/whales, /top, /snapshots, /chart.svg), or off (default: ${DEFAULT-VALUE}; env POOLSTATE_WHALES_HTTP).")
    String http;

    @Option(names = "--chart-windows", defaultValue = "1h,24h,7d", description = "Windows the API's chart shows by default (default: ${DEFAULT-VALUE}).")
    String chartWindows;

    @Override
    public Integer call() throws Exception {
        httpLimits.install();
        try (WhaleRuntime rt = new WhaleRuntime(options, network, rpc, postgres);
             MetricsEndpoint endpoint = MetricsEndpoint.start(metrics.endpoint("127.0.0.1:9466"), rt.metrics::scrape)) {
            if (endpoint != null) {
                System.out.println("whales: metrics at " + endpoint.url());
            }
            WhaleHttpServer api = null;
            HostPort at = HostPort.parseOrOff("--http", http);
            if (at != null) {
                api = new WhaleHttpServer(at.host(), at.port(), rt.tracker.store(), rt.metrics::scrape, chartWindows).start();
                System.out.printf("whales: API at http://%s:%d/v1/whales%n", api.address().getHostString(), api.address().getPort());
            }
            WhaleHttpServer apiServer = api;
            CountDownLatch stop = new CountDownLatch(1);
            WhaleSchedulerAgent agent = new WhaleSchedulerAgent(rt.tracker, rt.metrics, rt.settings.interval()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    agent.close();
                    if (apiServer != null) {
                        apiServer.close();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stop.countDown();
            }, "whales-shutdown"));
            stop.await();
            return 0;
        }
    }
}
