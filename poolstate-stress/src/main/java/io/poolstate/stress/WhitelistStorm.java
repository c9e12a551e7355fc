package io.poolstate.stress;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaView;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.traffic.TrafficGenerator;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.feed.chain.FeedAgent;
import io.poolstate.feed.client.FeedClient;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.FrameServer;
import io.poolstate.feed.whitelist.WhitelistTracker;
import io.poolstate.nats.NatsSettings;
import io.poolstate.nats.WhitelistSubscription;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistFormat;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.protocol.whitelist.WhitelistSubjects;
import io.poolstate.whitelist.publish.WhitelistPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whitelist storm — the design notes' four stress cases on one devnet, checked, not only timed:
 *
 * <ol>
 *   <li><b>Rapid updates</b>: {@link Settings#rate} whitelist updates a second for {@link Settings#duration}, published
 *       through {@link WhitelistPublisher} on a NATS server (diffs, and a full list every {@code full-every} snapshots
 *       as the publisher's rule has it), while the devnet mines traffic with reorgs;</li>
 *   <li><b>concurrent add/remove of the same pools</b>: a share of the updates add a pool and remove it again (or the
 *       other way round) back to back, so both wait for the same block boundary;</li>
 *   <li><b>reorgs while updates are queued</b>: the updates never stop, and at every reorg the traffic waits, between the
 *       rollback and the replacement blocks, until a burst of {@link Settings#burstOnReorg} more is published;</li>
 *   <li><b>a consumer resuming mid-storm</b>: a second feed consumer is closed {@link Settings#resumes} times and
 *       resumes from its last block after a pause.</li>
 * </ol>
 *
 * The feed (its NATS subscription, {@link WhitelistTracker}, {@link FeedAgent}, {@link FrameServer}) and the arena
 * ({@link PoolCatalog} from NATS, {@link ArenaAgent}) run in this JVM as the launcher wires them. Checks: both
 * consumers' forwarded sets equal the whitelist fold of what was published, at every block
 * ({@link ForwardedSetChecker}); every arena view seen is the set of the snapshot its block names; at the end, after
 * the storm, every consumer holds the last snapshot and the arena equals a fresh read of every pool at its block.
 *
 * <p>Single use: {@link #run} on the caller's thread; the storm publishes from its own thread.
 */
public final class WhitelistStorm {
    private static final Logger LOG = LoggerFactory.getLogger(WhitelistStorm.class);
    private static final String CHAIN = "devnet";

    /**
     * @param rate            whitelist updates per second
     * @param duration        how long the storm lasts
     * @param fullEvery       the publisher's {@code --full-every}: a full list after this many snapshots (at 100 a second, 1,000
     *                        is one every 10 s)
     * @param initialShare    percent of the devnet's pools in the first full list
     * @param flapPercent     percent of the update rounds that add and remove the same pool back to back
     * @param burstOnReorg    updates published at once when the traffic reorganises the chain
     * @param resumes         times the second consumer is closed and resumed mid-storm
     * @param blockPause      pause of the traffic after each mined block
     * @param txsPerBlock     transactions per block
     * @param reorgEvery      blocks between reorgs
     * @param maxReorgDepth   deepest reorg
     * @param seed            for the traffic and the choice of updates
     */
    public record Settings(int rate, Duration duration, int fullEvery, int initialShare, int flapPercent, int burstOnReorg, int resumes, Duration blockPause,
                           int txsPerBlock, int reorgEvery, int maxReorgDepth, long seed) {
        public Settings {
            if (rate < 1 || fullEvery < 1 || initialShare < 1 || initialShare > 100 || flapPercent < 0 || flapPercent > 100 || burstOnReorg < 0 || resumes < 0) {
                throw new IllegalArgumentException("bad storm settings: rate=" + rate + " initial_share=" + initialShare + " flap_percent=" + flapPercent
                        + " burst_on_reorg=" + burstOnReorg + " resumes=" + resumes);
            }
        }

        /**
         * 100 updates a second for a minute, a full list every 1,000 snapshots, 75% of the pools listed at first, 30% of the
         * rounds adding and removing one pool back to back, 10 more updates at every reorg, a reorg every 5 blocks (depth 1–3),
         * two resumes.
         */
        public static Settings defaults(long seed) {
            return new Settings(100, Duration.ofSeconds(60), 1000, 75, 30, 10, 2, Duration.ofMillis(200), 6, 5, 3, seed);
        }

        public Settings withDuration(Duration d) {
            return new Settings(rate, d, fullEvery, initialShare, flapPercent, burstOnReorg, resumes, blockPause, txsPerBlock, reorgEvery, maxReorgDepth, seed);
        }

        public Settings withRate(int r) {
            return new Settings(r, duration, fullEvery, initialShare, flapPercent, burstOnReorg, resumes, blockPause, txsPerBlock, reorgEvery, maxReorgDepth, seed);
        }
    }

    /**
     * What the storm did and found.
     *
     * @param latencyMedianNanos head announced by the node → EndBlock received by the steady consumer, during the storm
     * @param differences        every difference found (must be zero)
     */
    public record Report(int pools, int finalPools, int updates, Map<String, Integer> updatesByKind, double achievedRate, long publishMedianNanos,
                         long publishP99Nanos, long blocks, long reorgs, long stormReorgs, long reorgsWithUpdates, long queuedMedianNanos,
                         long queuedP99Nanos, int resumes, long resumedBlocks, long latencySamples, long latencyMedianNanos, long latencyP99Nanos,
                         long largestQueue, long arenaViewsChecked, long arenaViewsNotServed, long arenaLagMedian, long arenaLagMax, long arenaRescrapes, long arenaPoolsCompared,
                         long differences, List<String> firstDifferences, double startSeconds, double stormSeconds, double inForceSeconds,
                         double settleSeconds, double checkSeconds) {
        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("whitelist storm: %,d pools on the devnet, %,d updates in %.1f s (%.1f/s; %s), %,d pools listed at the end%n", pools,
                    updates, stormSeconds, achievedRate, updatesByKind, finalPools));
            sb.append(String.format("  publication (encode, read back, both subjects acknowledged by JetStream): median %.1f ms, p99 %.1f ms per update%n",
                    publishMedianNanos / 1e6, publishP99Nanos / 1e6));
            sb.append(String.format("  phases: start-up (feed, arena live, consumers) %.1f s, storm %.1f s, then last snapshot in force after %.1f s,"
                    + " consumers and arena at the held head after %.1f s, final read and compare %.1f s%n", startSeconds, stormSeconds, inForceSeconds,
                    settleSeconds, checkSeconds));
            sb.append(String.format("  blocks %,d with %,d reorgs; during the storm %,d reorgs, %,d of them with whitelist updates applied at the replacement"
                    + " block; feed's largest whitelist queue %,d%n", blocks, reorgs, stormReorgs, reorgsWithUpdates, largestQueue));
            sb.append(String.format("  feed: whitelist update received from NATS -> applied at a block boundary: median %.1f ms, p99 %.1f ms%n",
                    queuedMedianNanos / 1e6, queuedP99Nanos / 1e6));
            sb.append(String.format("  consumer resumed %d times mid-storm (%,d blocks checked on it)%n", resumes, resumedBlocks));
            sb.append(String.format("  feed head -> EndBlock during the storm: median %.1f ms, p99 %.1f ms over %,d blocks%n", latencyMedianNanos / 1e6,
                    latencyP99Nanos / 1e6, latencySamples));
            sb.append(String.format("  arena: %,d views checked against the fold (%,d with pools not yet served), blocks behind the feed's consumer during"
                    + " the storm: median %d, max %d; %,d start-ups/rescrapes, %,d pools equal to a fresh read at the end%n", arenaViewsChecked,
                    arenaViewsNotServed, arenaLagMedian, arenaLagMax, arenaRescrapes, arenaPoolsCompared));
            sb.append(String.format("  differences: %d%n", differences));
            firstDifferences.forEach(d -> sb.append("    ").append(d).append('\n'));
            return sb.toString();
        }
    }

    private final Devnet devnet;
    private final String natsUrl;
    private final Path dir;
    private final Settings settings;
    private final Differences differences = new Differences();
    private final PublishedLog log = new PublishedLog(WhitelistFold.Guard.DEFAULT);
    private final Map<Bytes32, Long> headSeen = new ConcurrentHashMap<>();
    /** A burst asked for by the traffic thread at a reorg, published by the storm thread, which then counts the latch down. */
    private record Burst(int updates, CountDownLatch published) {
    }

    private final AtomicReference<Burst> burst = new AtomicReference<>();
    private volatile boolean storming;
    private final Map<String, Integer> byKind = new TreeMap<>();
    private final Object gate = new Object();
    private final AtomicReference<Consumer> resumedClient = new AtomicReference<>();
    private final AtomicInteger resumes = new AtomicInteger();
    private boolean held;
    private boolean parked;

    /**
     * @param devnet  the chain, with its deployment (pools, PoolManager)
     * @param natsUrl a NATS server with JetStream of this storm's own (the storm creates the {@code WHITELIST} stream)
     * @param dir     for the feed's socket
     */
    public WhitelistStorm(Devnet devnet, String natsUrl, Path dir, Settings settings) {
        this.devnet = devnet;
        this.natsUrl = natsUrl;
        this.dir = dir;
        this.settings = settings;
    }

    public Report run() throws Exception {
        Deployment d = devnet.deployment();
        List<PoolDescriptor> all = d.pools();
        Map<PoolId, PoolDescriptor> byId = new LinkedHashMap<>();
        all.forEach(p -> byId.put(p.id(), p));
        SplittableRandom r = new SplittableRandom(settings.seed());
        WhitelistSubjects subjects = new WhitelistSubjects(CHAIN);
        FeedMetrics feedMetrics = new FeedMetrics();
        ArenaMetrics arenaMetrics = new ArenaMetrics();
        long t0 = System.nanoTime();
        try (Connection nc = Nats.connect(natsUrl); EthClient ws = EthClient.open(d.wsUrl()); EthClient heads = EthClient.open(d.wsUrl());
             AutoCloseable headSub = heads.newHeads(h -> headSeen.putIfAbsent(h.hash(), System.nanoTime()), e -> { }, Duration.ofMillis(100))) {
            WhitelistPublisher.Settings defaults = WhitelistPublisher.Settings.DEFAULT;
            WhitelistPublisher publisher = new WhitelistPublisher(nc, CHAIN, new WhitelistPublisher.Settings(settings.fullEvery(),
                    Math.max(defaults.maxMsgsPerSubject(), 2L * settings.fullEvery() + 2), defaults.maxBytes(), defaults.maxAge(), defaults.duplicateWindow(),
                    defaults.maxMessageBytes()));
            publisher.ensureStream();
            Storm storm = new Storm(publisher, all, byId, r);
            storm.first();

            WhitelistTracker tracker = new WhitelistTracker(Set.of(d.contracts().poolManager()), WhitelistFold.Guard.DEFAULT);
            PoolCatalog catalog = PoolCatalog.fromNats(WhitelistFold.Guard.DEFAULT);
            Path socket = dir.resolve("feed.sock");
            ForwardedSetChecker steady = new ForwardedSetChecker("consumer", log, differences, h -> headSeen.getOrDefault(h, 0L));
            ForwardedSetChecker resumed = new ForwardedSetChecker("resumed consumer", log, differences, h -> 0L);
            TrafficGenerator traffic = new TrafficGenerator(devnet.chain(), d, new TrafficGenerator.Options(Integer.MAX_VALUE, settings.seed(),
                    settings.txsPerBlock(), settings.reorgEvery(), settings.maxReorgDepth()));
            Thread trafficThread = Thread.ofPlatform().name("storm-traffic").daemon().start(() -> traffic.run(new TrafficGenerator.Listener() {
                @Override
                public void onBlock(long number, List<DevChain.Mined> txs) {
                    pauseTraffic();
                }

                @Override
                public void onReorg(int depth, long newHead) {
                    burstBeforeReplacement();
                }
            }));
            try (WhitelistSubscription feedSub = new WhitelistSubscription(NatsSettings.of(natsUrl), subjects.subject(WhitelistFormat.MINIMAL), tracker,
                         1 << 24).start();
                 FrameServer server = new FrameServer(socket, d.chainId(), 256, new FrameServer.Limits(100_000, 2_000), feedMetrics).start();
                 FeedAgent feed = new FeedAgent(ws, tracker, server, feedMetrics, new FeedAgent.Settings(256, Duration.ofSeconds(2), Duration.ofMillis(100),
                         true)).start();
                 WhitelistSubscription arenaSub = new WhitelistSubscription(NatsSettings.of(natsUrl), subjects.subject(WhitelistFormat.FULL), catalog,
                         1 << 26).start();
                 ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, socket, catalog, ArenaAgent.Settings.DEFAULT, arenaMetrics).start();
                 Consumer steadyClient = new Consumer(socket, steady).start()) {
                resumedClient.set(new Consumer(socket, resumed).start());
                try {
                    await(() -> arena.view().mode() == ArenaMode.LIVE && steady.count("blocks", 0) > 2 && resumed.count("blocks", 0) > 2,
                            Duration.ofMinutes(5), () -> "arena live (" + arena.view().mode() + ") and both consumers receiving blocks");
                    LOG.info("storm starting: pools={} listed={} rate={}/s duration={}", all.size(), storm.listed.size(), settings.rate(), settings.duration());
                    ArenaWatch watch = new ArenaWatch(arena, steady);
                    Thread watcher = Thread.ofPlatform().name("storm-arena-watch").daemon().start(watch);
                    steady.measuring(true);
                    long start = System.nanoTime();
                    double startSeconds = (start - t0) / 1e9;
                    long end = start + settings.duration().toNanos();
                    long period = 1_000_000_000L / settings.rate();
                    long next = start;
                    storming = true;
                    Thread resumer = Thread.ofPlatform().name("storm-resumer").daemon().start(() -> resumeDuringStorm(resumedClient, resumed, steady, socket,
                            start));
                    try {
                        while (System.nanoTime() < end) {
                            Burst b = burst.getAndSet(null);
                            if (b != null) {
                                for (int i = 0; i < b.updates(); i++) {
                                    storm.round();
                                }
                                b.published().countDown();
                            }
                            long now = System.nanoTime();
                            if (now < next) {
                                Thread.sleep(Math.min(5, Math.max(0, (next - now) / 1_000_000)), (int) ((next - now) % 1_000_000));
                                continue;
                            }
                            next += period * storm.round();
                        }
                    } finally {
                        storming = false;
                        Burst b = burst.getAndSet(null);
                        if (b != null) {
                            b.published().countDown();
                        }
                    }
                    resumer.join();
                    steady.measuring(false);
                    long queuedMedian = percentile(feedMetrics.whitelistLatency, 0.5); // the timer's window moves on: read it now
                    long queuedP99 = percentile(feedMetrics.whitelistLatency, 0.99);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    int updates = storm.updates;
                    LOG.info("storm over: updates={} in {} s; waiting for the last snapshot {} to take effect", updates, seconds, log.last());
                    Supplier<String> where = () -> "consumer at block " + steady.lastNumber() + " snapshot " + steady.lastSnapshot() + ", resumed consumer at block "
                            + resumed.lastNumber() + " snapshot " + resumed.lastSnapshot() + ", arena at block " + arena.view().blockNumber() + " ("
                            + arena.view().mode() + ", " + arena.view().notServed().size() + " pools not served), feed sent block "
                            + feedMetrics.lastSentBlock.get() + ", last published snapshot " + log.last();
                    await(() -> steady.lastSnapshot() == log.last() && resumed.lastSnapshot() == log.last(), Duration.ofMinutes(2),
                            () -> "both consumers at the last snapshot: " + where.get());
                    double inForceSeconds = (System.nanoTime() - start) / 1e9 - seconds;
                    holdTraffic();
                    BlockHeader head = devnet.eth().latestHeader();
                    await(() -> steady.lastHash().equals(head.hash()) && resumed.lastHash().equals(head.hash()) && arena.view().blockHash().equals(head.hash()),
                            Duration.ofMinutes(5), () -> "consumers and arena at the held head " + head.number() + ": " + where.get());
                    watch.stop();
                    watcher.join();
                    long settled = System.nanoTime();
                    long compared = finalCheck(arena.view(), steady, resumed, byId, head);
                    double checkSeconds = (System.nanoTime() - settled) / 1e9;
                    double settleSeconds = (settled - start) / 1e9 - seconds;
                    traffic.stop();
                    releaseTraffic();
                    trafficThread.join(30_000);
                    return new Report(all.size(), log.at(log.last()).size(), updates, Map.copyOf(byKind), updates / seconds, storm.publishing.percentile(50),
                            storm.publishing.percentile(99),
                            steady.count("blocks", 0), steady.count("reorgs", 0), steady.count("reorgs during the storm", 0),
                            steady.count("reorgs during the storm with whitelist updates applied at the replacement block", 0),
                            queuedMedian, queuedP99,
                            resumes.get(), resumed.count("blocks", 0), steady.latencies().size(), steady.latencies().percentile(50),
                            steady.latencies().percentile(99), tracker.largestQueue(), watch.checked, watch.notServed, watch.lag.percentile(50),
                            watch.lag.percentile(100), (long) arenaMetrics.rescrapes.count(),
                            compared, differences.count(), differences.first(), startSeconds, seconds, inForceSeconds, settleSeconds, checkSeconds);
                } finally {
                    traffic.stop();
                    releaseTraffic();
                    resumedClient.get().close();
                }
            }
        }
    }

    /**
     * Spread over the storm: closes the resumed consumer's client, lets at least two blocks go by (reorgs included), and
     * starts a new client resuming after the last block the closed one delivered.
     */
    private void resumeDuringStorm(AtomicReference<Consumer> client, ForwardedSetChecker checker, ForwardedSetChecker steady, Path socket, long start) {
        try {
            for (int k = 1; k <= settings.resumes(); k++) {
                long at = start + k * settings.duration().toNanos() / (settings.resumes() + 1);
                while (System.nanoTime() < at) {
                    Thread.sleep(20);
                }
                if (!storming) {
                    return;
                }
                FeedFrame.Resume tip = client.get().client.tip();
                checker.expectDisconnect();
                client.get().close();
                long blocks = steady.count("blocks", 0);
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (steady.count("blocks", 0) < blocks + 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                LOG.info("consumer resuming after block {} {}", tip.afterBlockNumber(), tip.afterBlockHash());
                client.set(new Consumer(socket, checker, tip.afterBlockNumber(), tip.afterBlockHash()).start());
                resumes.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * At a reorg, between the rollback and the replacement blocks (traffic thread): has the storm publish a burst and
     * waits until it is published, so the feed holds updates in its queue when the replacement blocks arrive.
     */
    private void burstBeforeReplacement() {
        if (!storming || settings.burstOnReorg() == 0) {
            return;
        }
        Burst b = new Burst(settings.burstOnReorg(), new CountDownLatch(1));
        burst.set(b);
        try {
            if (b.published().await(10, TimeUnit.SECONDS)) {
                Thread.sleep(50); // NATS delivers to the feed's subscription
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** At the head, traffic held: every consumer holds the last snapshot, and the arena serves it, each pool equal to the chain. */
    private long finalCheck(ArenaView v, ForwardedSetChecker steady, ForwardedSetChecker resumed, Map<PoolId, PoolDescriptor> byId, BlockHeader head) {
        Set<PoolId> last = log.at(log.last());
        for (ForwardedSetChecker c : List.of(steady, resumed)) {
            if (!c.set().equals(last)) {
                differences.add(c.name() + ": at the end the forwarded set (" + c.set().size() + " pools) is not the last snapshot's (" + last.size() + ")");
            }
        }
        if (v.whitelistSnapshotId() != log.last()) {
            differences.add("arena: at the end its block names snapshot " + v.whitelistSnapshotId() + ", not the last published " + log.last());
        }
        if (!v.notServed().isEmpty()) {
            differences.add("arena: at the end " + v.notServed().size() + " forwarded pools are not served: " + v.notServed().entrySet().stream().limit(3).toList());
        }
        if (!v.pools().keySet().equals(last)) {
            differences.add("arena: at the end it serves " + v.pools().size() + " pools, the last snapshot lists " + last.size());
        }
        List<PoolDescriptor> pools = last.stream().map(byId::get).toList();
        ScrapeResult chain = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT).scrape(pools, BlockRef.hash(head.hash()), head.number());
        chain.failures().forEach((id, why) -> differences.add("chain read of " + id + " at block " + head.number() + " failed: " + why));
        long compared = 0;
        for (PoolDescriptor p : pools) {
            PoolSnapshot served = v.pools().get(p.id());
            var read = chain.states().get(p.id());
            if (served == null || read == null) {
                continue;
            }
            compared++;
            List<String> diff = served.differences(read.snapshot());
            if (!diff.isEmpty()) {
                differences.add("arena: pool " + p.id() + " at block " + head.number() + " differs from the chain: " + diff.stream().limit(3).toList());
            }
        }
        LOG.info("final check at block {}: {} pools compared with a fresh read", head.number(), compared);
        return compared;
    }

    /** Checks every arena view it sees: served and not-yet-served pools together are the set of the snapshot the block names. */
    private final class ArenaWatch implements Runnable {
        private final ArenaAgent arena;
        private final ForwardedSetChecker steady;
        /** Blocks the arena's view is behind the steady consumer, at each view seen during the storm. */
        final LongSamples lag = new LongSamples();
        private volatile boolean running = true;
        volatile long checked;
        volatile long notServed;

        ArenaWatch(ArenaAgent arena, ForwardedSetChecker steady) {
            this.arena = arena;
            this.steady = steady;
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            Bytes32 seen = Bytes32.ZERO;
            while (running) {
                ArenaView v = arena.view();
                if (v.mode() == ArenaMode.LIVE && !v.blockHash().equals(seen)) {
                    seen = v.blockHash();
                    check(v);
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void check(ArenaView v) {
            checked++;
            if (storming) {
                lag.add(Math.max(0, steady.lastNumber() - v.blockNumber()));
            }
            Set<PoolId> expected = log.at(v.whitelistSnapshotId());
            Set<PoolId> have = new HashSet<>(v.pools().keySet());
            have.addAll(v.notServed().keySet());
            if (!v.notServed().isEmpty()) {
                notServed++;
            }
            if (expected == null) {
                differences.add("arena: block " + v.blockNumber() + " names snapshot " + v.whitelistSnapshotId() + ", which was never published");
            } else if (!expected.equals(have) || v.forwarded() != expected.size()) {
                differences.add("arena: block " + v.blockNumber() + " " + v.blockHash() + " serves " + have.size() + " pools (forwarded " + v.forwarded()
                        + "), the whitelist fold at snapshot " + v.whitelistSnapshotId() + " lists " + expected.size());
            }
        }
    }

    /** The publisher side: what is listed, and the next update. Storm thread only. */
    private final class Storm {
        private final WhitelistPublisher publisher;
        private final List<PoolDescriptor> all;
        private final Map<PoolId, PoolDescriptor> byId;
        private final SplittableRandom r;
        private final LinkedHashSet<PoolId> listed = new LinkedHashSet<>();
        private final int fullEvery;
        private long snapshot = System.currentTimeMillis() - 3_600_000;
        private int sinceFull;
        int updates;
        final LongSamples publishing = new LongSamples();

        Storm(WhitelistPublisher publisher, List<PoolDescriptor> all, Map<PoolId, PoolDescriptor> byId, SplittableRandom r) {
            this.publisher = publisher;
            this.all = all;
            this.byId = byId;
            this.r = r;
            this.fullEvery = publisher.settings().fullEvery();
        }

        void first() throws Exception {
            for (PoolDescriptor p : all) {
                if (r.nextInt(100) < settings.initialShare()) {
                    listed.add(p.id());
                }
            }
            full();
        }

        /** One round: one update, or two that add and remove the same pool back to back. Returns how many were published. */
        int round() throws Exception {
            if (sinceFull >= fullEvery - 1) {
                full();
                return 1;
            }
            int roll = r.nextInt(100);
            if (roll < settings.flapPercent()) {
                PoolId p = all.get(r.nextInt(all.size())).id();
                if (listed.contains(p)) {
                    diff(UpdateType.REMOVE, List.of(p), "remove+add same pool");
                    diff(UpdateType.ADD, List.of(p), "remove+add same pool");
                } else {
                    diff(UpdateType.ADD, List.of(p), "add+remove same pool");
                    diff(UpdateType.REMOVE, List.of(p), "add+remove same pool");
                }
                return 2;
            }
            boolean add = listed.size() < all.size() / 2 || listed.size() < all.size() && r.nextBoolean();
            List<PoolId> pick = new ArrayList<>();
            int k = 1 + r.nextInt(3);
            for (int tries = 0; pick.size() < k && tries < 50; tries++) {
                PoolId p = all.get(r.nextInt(all.size())).id();
                if (listed.contains(p) != add && !pick.contains(p)) {
                    pick.add(p);
                }
            }
            if (pick.isEmpty()) {
                full();
                return 1;
            }
            diff(add ? UpdateType.ADD : UpdateType.REMOVE, pick, add ? "add" : "remove");
            return 1;
        }

        private void full() throws Exception {
            long prev = snapshot;
            snapshot = prev + 1;
            List<PoolDescriptor> pools = listed.stream().map(byId::get).toList();
            publish(WhitelistMessage.full(CHAIN, snapshot, Instant.now(), pools), "full");
            sinceFull = 0;
        }

        private void diff(UpdateType type, List<PoolId> ids, String kind) throws Exception {
            if (sinceFull >= fullEvery - 1) {
                if (type == UpdateType.ADD) {
                    listed.addAll(ids);
                } else {
                    ids.forEach(listed::remove);
                }
                full();
                return;
            }
            long prev = snapshot;
            snapshot = prev + 1;
            List<PoolDescriptor> meta = type == UpdateType.ADD ? ids.stream().map(byId::get).toList() : List.of();
            if (type == UpdateType.ADD) {
                listed.addAll(ids);
            } else {
                ids.forEach(listed::remove);
            }
            publish(new WhitelistMessage(type, CHAIN, snapshot, prev, Instant.now(), meta, ids), kind);
            sinceFull++;
        }

        private void publish(WhitelistMessage m, String kind) throws Exception {
            log.append(m);
            long t = System.nanoTime();
            publisher.publish(m);
            publishing.add(System.nanoTime() - t);
            updates++;
            byKind.merge(kind, 1, Integer::sum);
        }
    }

    /** A feed consumer with its checker, on a {@link FeedClient} of its own. */
    private static final class Consumer implements AutoCloseable {
        final FeedClient client;

        Consumer(Path socket, ForwardedSetChecker checker) {
            this(socket, checker, 0, null);
        }

        Consumer(Path socket, ForwardedSetChecker checker, long afterNumber, Bytes32 afterHash) {
            this.client = new FeedClient(socket, afterNumber, afterHash, checker, new FeedClient.Settings(0, false, Duration.ofSeconds(15),
                    Duration.ofSeconds(1)));
        }

        Consumer start() {
            client.start();
            return this;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private void pauseTraffic() {
        synchronized (gate) {
            while (held) {
                parked = true;
                gate.notifyAll();
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            parked = false;
        }
        try {
            Thread.sleep(settings.blockPause().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void holdTraffic() throws InterruptedException {
        synchronized (gate) {
            held = true;
            long deadline = System.currentTimeMillis() + 60_000;
            while (!parked) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IllegalStateException("traffic did not stop within 60 s");
                }
                gate.wait(left);
            }
        }
    }

    private void releaseTraffic() {
        synchronized (gate) {
            held = false;
            gate.notifyAll();
        }
    }

    private static long percentile(io.micrometer.core.instrument.Timer timer, double p) {
        for (var v : timer.takeSnapshot().percentileValues()) {
            if (v.percentile() == p) {
                return (long) v.value(java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
        return -1;
    }

    private static void await(BooleanSupplier condition, Duration timeout, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + timeout.toSeconds() + " s: " + what.get());
            }
            Thread.sleep(10);
        }
    }
}
