package io.poolstate.app.whales;

import io.poolstate.app.MetricsEndpoint;
import io.poolstate.whales.WhaleSchedulerAgent;
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

    @Option(names = "--metrics", defaultValue = "${env:POOLSTATE_WHALES_METRICS:-127.0.0.1:9466}", description = "Prometheus HOST:PORT, or off (default: ${DEFAULT-VALUE}).")
    String metrics;

    @Override
    public Integer call() throws Exception {
        try (WhaleRuntime rt = new WhaleRuntime(options);
             MetricsEndpoint endpoint = MetricsEndpoint.start(metrics, rt.metrics::scrape)) {
            if (endpoint != null) {
                System.out.println("whales: metrics at " + endpoint.url());
            }
            CountDownLatch stop = new CountDownLatch(1);
            WhaleSchedulerAgent agent = new WhaleSchedulerAgent(rt.tracker, rt.metrics, rt.settings.interval()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    agent.close();
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
