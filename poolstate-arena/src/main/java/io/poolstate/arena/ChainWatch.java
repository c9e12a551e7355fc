package io.poolstate.arena;

import io.poolstate.eth.rpc.Confirmation;
import io.poolstate.eth.rpc.EthClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the node's head on a virtual thread of its own, so the arena can tell a quiet chain from a state that
 * stopped advancing although the chain did ({@link #freshness}). A node that does not answer leaves the last
 * known head in place and says so.
 */
public final class ChainWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChainWatch.class);

    /**
     * When served state is stale: the chain is more than {@code maxBlocksBehind} blocks ahead of it and it has
     * not advanced for {@code maxSilence}. {@code confirmation}: which block counts as the chain's newest — the head,
     * or, for an arena on a feed in confirmed mode, N blocks below it or the finalized block (the feed sends no other).
     */
    public record Settings(int maxBlocksBehind, Duration maxSilence, Duration pollInterval, Confirmation confirmation) {
        public static final Settings DEFAULT = new Settings(3, Duration.ofSeconds(30), Duration.ofSeconds(2));

        public Settings(int maxBlocksBehind, Duration maxSilence, Duration pollInterval) {
            this(maxBlocksBehind, maxSilence, pollInterval, Confirmation.HEAD);
        }
    }

    /** What the watch knows now: whether the served block is stale, why, and the chain's head. */
    public record Freshness(boolean stale, String reason, long chainHead, long servedBlock, long secondsSinceAdvance) {
    }

    private final EthClient eth;
    private final Settings settings;
    private final AtomicLong head = new AtomicLong();
    private volatile boolean reachable = true;
    private volatile boolean running = true;
    private Thread thread;

    public ChainWatch(EthClient eth, Settings settings) {
        this.eth = eth;
        this.settings = settings;
    }

    public ChainWatch start() {
        if (!(settings.confirmation() instanceof Confirmation.Head)) {
            LOG.info("confirmed mode ({}): staleness is judged against the newest confirmed block, not the head", settings.confirmation().describe());
        }
        thread = Thread.ofVirtual().name("arena-chain-watch").start(this::run);
        return this;
    }

    private void run() {
        while (running) {
            try {
                head.set(settings.confirmation().confirmedNumber(eth));
                if (!reachable) {
                    LOG.info("node head reachable again: head={}", head.get());
                }
                reachable = true;
            } catch (RuntimeException e) {
                if (reachable) {
                    LOG.warn("node head not reachable: reason={}", e.getMessage());
                }
                reachable = false;
            }
            try {
                Thread.sleep(settings.pollInterval().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The chain's newest block as the confirmation rule counts it (the head itself by default). */
    public long head() {
        return head.get();
    }

    /** Whether {@code served} (advanced last at {@code advancedNanos}, a {@link System#nanoTime()}) is stale. */
    public Freshness freshness(long served, long advancedNanos) {
        long h = head.get();
        long silent = Duration.ofNanos(System.nanoTime() - advancedNanos).toSeconds();
        boolean behind = h - served > settings.maxBlocksBehind();
        boolean stale = behind && silent >= settings.maxSilence().toSeconds();
        String reason = stale ? "served block " + served + " is " + (h - served) + " blocks behind the chain's head " + h + " and has not advanced for "
                + silent + " s" : reachable ? null : "node head not reachable; last known head " + h;
        return new Freshness(stale, reason, h, served, silent);
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
