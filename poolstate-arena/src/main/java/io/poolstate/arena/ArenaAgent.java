package io.poolstate.arena;

import io.poolstate.arena.checkpoint.CheckpointStore;
import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.MalformedLogException;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.state.BlockApplyException;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.PoolState;
import io.poolstate.dex.state.PoolStateBook;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.RpcException;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.FeedClient;
import io.poolstate.feed.client.PoolUpdates;
import io.poolstate.protocol.feed.FeedFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an exact copy of the whitelisted pools: connects to the feed and buffers its blocks; scrapes every pool
 * at one pinned block R (the parent of the first buffered block, pinned by hash so a reorg cannot swap it);
 * replays the buffered blocks after R; then applies each block as it ends. Reverts go through the engine's
 * journal; a revert past it, a rescrape frame from the feed, a refused resume, a buffer overflow or a broken
 * chain of parents restarts the start-up (a fresh scrape), never a silent drift. Every N blocks a sample of
 * pools is compared with the chain at the applied block; a difference is logged, counted and the pool rescraped.
 *
 * <p>Threads: the {@code arena-writer} thread owns the {@link PoolStateBook}; the feed client's thread only
 * enqueues blocks; readers use {@link #view()}, an immutable snapshot published after each block.
 */
public final class ArenaAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArenaAgent.class);

    /**
     * Start-up buffer, journal depth, scrape batching, self-check period and sample (0 = off), checkpoints, and
     * {@code pinnedBatchPools}: 0 scrapes every pool at one pinned block; N > 0 scrapes N pools at a time, each
     * batch pinned to the newest block the feed has sent when the batch starts (for long scrapes, or a node that
     * keeps little state history); replay then gives each pool only the blocks after its own.
     */
    public record Settings(int bufferBlocks, int journalDepth, ScrapeSettings scrape, int selfCheckEvery, int selfCheckSample,
                           Path checkpointFile, int checkpointEvery, int pinnedBatchPools) {
        public static final Settings DEFAULT = new Settings(10_000, 256, ScrapeSettings.DEFAULT, 100, 5, null, 100, 0);

        public Settings(int bufferBlocks, int journalDepth, ScrapeSettings scrape, int selfCheckEvery, int selfCheckSample,
                        Path checkpointFile, int checkpointEvery) {
            this(bufferBlocks, journalDepth, scrape, selfCheckEvery, selfCheckSample, checkpointFile, checkpointEvery, 0);
        }

        /** The same settings writing a checkpoint to {@code file} every {@code every} blocks and on shutdown. */
        public Settings withCheckpoint(Path file, int every) {
            return new Settings(bufferBlocks, journalDepth, scrape, selfCheckEvery, selfCheckSample, file, every, pinnedBatchPools);
        }

        /** The same settings scraping {@code pools} pools per pinned block at start-up (0: one block for all). */
        public Settings withPinnedBatches(int pools) {
            return new Settings(bufferBlocks, journalDepth, scrape, selfCheckEvery, selfCheckSample, checkpointFile, checkpointEvery, pools);
        }
    }

    /** A block the feed has sent; a batch is pinned {@link #PIN_MARGIN} blocks below the newest one. */
    private record Tip(long number, Bytes32 hash) {
    }

    /** Blocks between the newest one the feed has sent and a batch's pinned block: shallow reorgs leave it alone. */
    static final int PIN_MARGIN = 2;

    private enum Signal { RESCRAPE }

    private final EthClient eth;
    private final Path feedSocket;
    private final PoolCatalog catalog;
    private List<PoolDescriptor> pools = List.of();
    private final Settings settings;
    private final ArenaMetrics metrics;
    private final PoolScraper scraper;
    private final long chainId;
    private final AtomicBoolean overflow = new AtomicBoolean();
    private volatile BlockingQueue<Object> inbox;
    private volatile ArenaView view;
    private volatile boolean running = true;
    private FeedClient client;
    private Thread thread;
    private PoolStateBook book;
    private Map<PoolId, PoolSnapshot> snapshots = new HashMap<>();
    private Map<PoolId, Long> scrapedAt = new HashMap<>();
    /** The feed's recent blocks, newest last, reverted ones removed (written by the feed client's thread, guarded by itself). */
    private final java.util.ArrayDeque<Tip> recent = new java.util.ArrayDeque<>();
    /** The highest block a pool was scraped at during start-up: replay filters events up to it. */
    private long pinnedUpTo = -1;
    /** The blocks batches were pinned to: a revert of one of them means those pools hold orphaned state. */
    private Set<Bytes32> pinHashes = Set.of();
    private Map<PoolId, String> failures = new HashMap<>();
    private long tipNumber;
    private Bytes32 tipHash;
    private long blocksApplied;
    private long eventsApplied;
    private final SplittableRandom sample = new SplittableRandom(1);
    private final CheckpointStore checkpoints;
    private boolean triedCheckpoint;
    private boolean scrapeInfoChanged = true;

    /** An arena serving a fixed list of pools. */
    public ArenaAgent(EthClient eth, Address multicall, Path feedSocket, List<PoolDescriptor> pools, Settings settings, ArenaMetrics metrics) {
        this(eth, multicall, feedSocket, PoolCatalog.of(pools), settings, metrics);
    }

    /** An arena serving the pools of {@code catalog}, following its changes at block boundaries. */
    public ArenaAgent(EthClient eth, Address multicall, Path feedSocket, PoolCatalog catalog, Settings settings, ArenaMetrics metrics) {
        this.eth = eth;
        this.feedSocket = feedSocket;
        this.catalog = catalog;
        this.settings = settings;
        this.metrics = metrics;
        this.scraper = new PoolScraper(eth, multicall, settings.scrape());
        this.chainId = eth.chainId();
        this.view = ArenaView.starting(chainId);
        this.checkpoints = settings.checkpointFile() == null ? null : new CheckpointStore(settings.checkpointFile());
    }

    public ArenaAgent start() {
        thread = Thread.ofPlatform().name("arena-writer").start(this::run);
        return this;
    }

    /** The state at the end of the last applied block (any thread). */
    public ArenaView view() {
        return view;
    }

    private void run() {
        while (running && catalog.current().isEmpty()) {
            sleep(100); // waiting for the pool list (NATS)
        }
        catalog.takeChange();
        pools = catalog.current();
        while (running) {
            try {
                if (!triedCheckpoint && checkpoints != null) {
                    triedCheckpoint = true;
                    if (resumeFromCheckpoint()) {
                        live();
                        continue;
                    }
                }
                startUp();
                live();
            } catch (Restart r) {
                LOG.warn("arena restarting start-up: reason={}", r.getMessage());
                metrics.rescrapes.increment();
            } catch (InterruptedException e) {
                return;
            } catch (RpcException e) {
                LOG.warn("node call failed during start-up, retrying: reason={}", e.getMessage());
                sleep(500);
            } catch (RuntimeException e) {
                LOG.error("arena error, restarting start-up: reason={}", e.toString(), e);
                metrics.rescrapes.increment();
                sleep(500);
            }
        }
    }

    /** Drops the feed connection and its buffered blocks; returns the new, empty inbox. */
    private BlockingQueue<Object> freshInbox() {
        if (client != null) {
            client.close();
        }
        overflow.set(false);
        synchronized (recent) {
            recent.clear();
        }
        inbox = new ArrayBlockingQueue<>(settings.bufferBlocks());
        return inbox;
    }

    /** Loads the checkpoint and resumes the feed after its block; false when there is none to use. */
    private boolean resumeFromCheckpoint() {
        CheckpointStore.Checkpoint c = checkpoints.read(chainId, pools);
        if (c == null) {
            return false;
        }
        BlockingQueue<Object> queue = freshInbox();
        book = new PoolStateBook(settings.journalDepth());
        c.states().values().forEach(book::put);
        snapshots = new HashMap<>();
        c.states().forEach((id, s) -> snapshots.put(id, s.snapshot()));
        scrapedAt = new HashMap<>(c.scrapedAt());
        pinnedUpTo = -1;
        pinHashes = Set.of();
        failures = new HashMap<>();
        scrapeInfoChanged = true;
        tipNumber = c.blockNumber();
        tipHash = c.blockHash();
        setMode(ArenaMode.REPLAYING);
        publish();
        client = new FeedClient(feedSocket, tipNumber, tipHash, listener(queue), Duration.ofSeconds(2)).start();
        LOG.info("arena resumed from checkpoint: file={} block={} {} pools={}", checkpoints.file(), tipNumber, tipHash, snapshots.size());
        setMode(ArenaMode.LIVE);
        return true;
    }

    /** Writes the state at the last applied block (any thread: it writes the published view). */
    public void checkpoint() {
        ArenaView v = view;
        if (checkpoints == null || v.mode() != ArenaMode.LIVE || v.pools().isEmpty()) {
            return;
        }
        try {
            checkpoints.write(v);
        } catch (java.io.IOException e) {
            LOG.error("checkpoint failed: file={} block={} reason={}", checkpoints.file(), v.blockNumber(), e.getMessage());
        }
    }

    /** Connect and buffer, scrape at the pinned block, replay. */
    private void startUp() throws InterruptedException {
        catalog.takeChange();
        pools = catalog.current();
        BlockingQueue<Object> queue = freshInbox();
        setMode(ArenaMode.BUFFERING);
        client = new FeedClient(feedSocket, 0, null, listener(queue), Duration.ofSeconds(2)).start();
        FeedBlock first = null;
        while (first == null && running) {
            Object o = take(queue);
            if (o instanceof FeedBlock b && !b.isRevert()) {
                first = b;
            }
        }
        if (first == null) {
            return;
        }
        long r = first.number() - 1;
        setMode(ArenaMode.SCRAPING);
        long t0 = System.nanoTime();
        Map<PoolId, PoolState> states = new HashMap<>();
        Map<PoolId, String> failed = new HashMap<>();
        Map<PoolId, Long> pinnedAt = new HashMap<>();
        int batch = settings.pinnedBatchPools() > 0 ? settings.pinnedBatchPools() : Math.max(1, pools.size());
        Tip pin = new Tip(r, first.begin().parentHash());
        Set<Bytes32> pins = new HashSet<>();
        for (int from = 0; from < pools.size(); from += batch) {
            if (from > 0) {
                Tip seen = pinCandidate();
                pin = seen != null && seen.number() > pin.number() ? seen : pin;
            }
            pins.add(pin.hash());
            scrapePinned(pools.subList(from, Math.min(pools.size(), from + batch)), pin, states, failed, pinnedAt);
        }
        pinnedUpTo = pin.number();
        pinHashes = pins;
        metrics.scrapeDuration.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        failed.forEach((id, why) -> LOG.error("pool not served, scrape failed: pool={} reason={}", id, why));
        metrics.scrapeFailures.increment(failed.size());
        book = new PoolStateBook(settings.journalDepth());
        states.values().forEach(book::put);
        snapshots = new HashMap<>();
        scrapedAt = new HashMap<>(pinnedAt);
        states.values().forEach(s -> snapshots.put(s.descriptor().id(), s.snapshot()));
        failures = failed;
        scrapeInfoChanged = true;
        tipNumber = r;
        tipHash = first.begin().parentHash();
        LOG.info("arena scraped: pools={} failed={} block={} {} last_pinned_block={} seconds={} buffered={}", states.size(), failed.size(), r, tipHash,
                pinnedUpTo, (System.nanoTime() - t0) / 1e9, queue.size() + 1);
        setMode(ArenaMode.REPLAYING);
        apply(first);
        Object o;
        while ((o = queue.poll()) != null) {
            handle(o);
        }
        setMode(ArenaMode.LIVE);
        LOG.info("arena live: block={} pools={}", tipNumber, snapshots.size());
    }

    /** The block {@link #PIN_MARGIN} below the newest the feed has sent, or null while there are too few. */
    private Tip pinCandidate() {
        synchronized (recent) {
            if (recent.size() <= PIN_MARGIN) {
                return null;
            }
            var it = recent.descendingIterator();
            for (int i = 0; i < PIN_MARGIN; i++) {
                it.next();
            }
            return it.next();
        }
    }

    /** Scrapes {@code batch} at {@code pin} (by hash), retrying failed pools up to three times. */
    private void scrapePinned(List<PoolDescriptor> batch, Tip pin, Map<PoolId, PoolState> states, Map<PoolId, String> failed,
                              Map<PoolId, Long> pinnedAt) {
        ScrapeResult result = scraper.scrape(batch, BlockRef.hash(pin.hash()), pin.number());
        Map<PoolId, String> batchFailed = new HashMap<>(result.failures());
        states.putAll(result.states());
        for (int attempt = 0; attempt < 3 && !batchFailed.isEmpty(); attempt++) {
            List<PoolDescriptor> again = batch.stream().filter(p -> batchFailed.containsKey(p.id())).toList();
            ScrapeResult retry = scraper.scrape(again, BlockRef.hash(pin.hash()), pin.number());
            states.putAll(retry.states());
            batchFailed.keySet().removeAll(retry.states().keySet());
        }
        failed.putAll(batchFailed);
        batch.stream().filter(p -> states.containsKey(p.id())).forEach(p -> pinnedAt.put(p.id(), pin.number()));
    }

    private void live() throws InterruptedException {
        while (running) {
            handle(take(inbox));
        }
    }

    private Object take(BlockingQueue<Object> queue) throws InterruptedException {
        while (running) {
            if (overflow.get()) {
                metrics.bufferOverflows.increment();
                throw new Restart("feed buffer overflow: more than " + settings.bufferBlocks() + " blocks waiting");
            }
            Object o = queue.poll(200, TimeUnit.MILLISECONDS);
            metrics.bufferedBlocks.set(queue.size());
            if (o != null) {
                return o;
            }
        }
        throw new InterruptedException("arena stopped");
    }

    private void handle(Object o) {
        if (o == Signal.RESCRAPE) {
            throw new Restart("the feed cannot serve the blocks this state needs");
        }
        apply((FeedBlock) o);
        List<PoolDescriptor> change = catalog.takeChange();
        if (change != null) {
            changePools(change);
        }
    }

    /** Between blocks: drops removed pools, scrapes added ones at the applied block (pinned by hash) and joins them in. */
    private void changePools(List<PoolDescriptor> next) {
        Map<PoolId, PoolDescriptor> now = new HashMap<>();
        pools.forEach(p -> now.put(p.id(), p));
        Set<PoolId> keep = new HashSet<>();
        next.forEach(p -> keep.add(p.id()));
        List<PoolDescriptor> added = next.stream().filter(p -> !p.equals(now.get(p.id()))).toList();
        List<PoolId> removed = now.keySet().stream().filter(id -> !keep.contains(id)).toList();
        removed.forEach(id -> {
            book.remove(id);
            snapshots.remove(id);
            scrapedAt.remove(id);
            failures.remove(id);
        });
        if (!added.isEmpty()) {
            ScrapeResult s = scraper.scrape(added, BlockRef.hash(tipHash), tipNumber);
            s.states().values().forEach(st -> {
                book.put(st);
                snapshots.put(st.descriptor().id(), st.snapshot());
                scrapedAt.put(st.descriptor().id(), tipNumber);
            });
            failures.putAll(s.failures());
            s.failures().forEach((id, why) -> LOG.error("added pool not served, scrape failed: pool={} reason={}", id, why));
            book.clearJournal(); // reverting below this block would leave the new pools ahead: such a revert now means a rescrape
        }
        pools = List.copyOf(next);
        scrapeInfoChanged = true;
        publish();
        LOG.info("arena pools changed at block {}: added={} removed={} serving={}", tipNumber, added.size(), removed.size(), snapshots.size());
    }

    private void apply(FeedBlock b) {
        long t0 = System.nanoTime();
        Set<PoolId> touched = new HashSet<>();
        b.updates().forEach(u -> touched.add(u.pool()));
        if (b.isRevert()) {
            if (pinHashes.contains(b.begin().blockHash())) {
                throw new Restart("revert of block " + b.number() + " " + b.begin().blockHash() + ", where pools were scraped");
            }
            if (b.number() != tipNumber || !b.begin().blockHash().equals(tipHash)) {
                throw new Restart("revert of block " + b.number() + " " + b.begin().blockHash() + " does not match the applied tip " + tipNumber);
            }
            try {
                book.revertBlock(new PoolStateBook.BlockId(b.number(), b.begin().blockHash()));
            } catch (BlockApplyException e) {
                throw new Restart("revert past the journal: " + e.getMessage());
            }
            tipNumber = b.number() - 1;
            tipHash = b.begin().parentHash();
            metrics.blocksReverted.increment();
        } else {
            if (b.number() != tipNumber + 1 || !b.begin().parentHash().equals(tipHash)) {
                throw new Restart("block " + b.number() + " does not extend the applied tip " + tipNumber + " " + tipHash);
            }
            List<DecodedLog> events = new ArrayList<>(b.updates().size());
            for (FeedFrame.PoolUpdate u : b.updates()) {
                try {
                    events.add(PoolUpdates.decode(u, b.begin().blockHash()));
                } catch (MalformedLogException e) {
                    throw new Restart("undecodable update from the feed: " + e.getMessage());
                }
            }
            if (b.number() <= pinnedUpTo) {
                // replay after a batched scrape: a pool scraped at this block or later already holds its effects
                events.removeIf(e -> scrapedAt.getOrDefault(e.pool(), Long.MIN_VALUE) >= b.number());
            }
            try {
                book.applyBlock(new PoolStateBook.BlockId(b.number(), b.begin().blockHash()), events);
            } catch (BlockApplyException e) {
                throw new Restart(e.getMessage());
            }
            tipNumber = b.number();
            tipHash = b.begin().blockHash();
            blocksApplied++;
            eventsApplied += events.size();
            metrics.blocksApplied.increment();
            metrics.eventsApplied.increment(events.size());
        }
        for (PoolId id : touched) {
            PoolState s = book.get(id);
            if (s != null) {
                snapshots.put(id, s.snapshot());
            }
        }
        publish();
        metrics.blockApply.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        if (!b.isRevert() && settings.selfCheckEvery() > 0 && blocksApplied % settings.selfCheckEvery() == 0) {
            selfCheck();
        }
        if (!b.isRevert() && checkpoints != null && settings.checkpointEvery() > 0 && blocksApplied % settings.checkpointEvery() == 0) {
            checkpoint();
        }
    }

    /** Compares a sample of pools with the chain at the applied block; a different pool is replaced by its scrape. */
    private void selfCheck() {
        List<PoolDescriptor> candidates = pools.stream().filter(p -> snapshots.containsKey(p.id())).toList();
        if (candidates.isEmpty()) {
            return;
        }
        List<PoolDescriptor> picked = new ArrayList<>();
        for (int i = 0; i < Math.min(settings.selfCheckSample(), candidates.size()); i++) {
            picked.add(candidates.get(sample.nextInt(candidates.size())));
        }
        ScrapeResult chain;
        try {
            chain = scraper.scrape(picked, BlockRef.hash(tipHash), tipNumber);
        } catch (RpcException e) {
            LOG.warn("self-check skipped: block={} reason={}", tipNumber, e.getMessage());
            return;
        }
        boolean replaced = false;
        for (PoolDescriptor p : picked) {
            PoolState fresh = chain.states().get(p.id());
            if (fresh == null) {
                continue;
            }
            metrics.selfCheckedPools.increment();
            List<String> diffs = snapshots.get(p.id()).differences(fresh.snapshot());
            if (!diffs.isEmpty()) {
                metrics.selfCheckDifferences.increment();
                LOG.error("self-check difference: pool={} block={} fields={}; rescraped", p.id(), tipNumber, diffs);
                book.put(fresh);
                snapshots.put(p.id(), fresh.snapshot());
                scrapedAt.put(p.id(), tipNumber);
                scrapeInfoChanged = true;
                replaced = true;
            }
        }
        if (replaced) {
            book.clearJournal(); // the journal no longer describes the replaced pools; a revert now means a rescrape
            publish();
        }
    }

    private void publish() {
        ArenaView v = view;
        // scrape blocks and failures change rarely (start-up, self-check): copy them only then
        Map<PoolId, Long> scraped = scrapeInfoChanged ? Map.copyOf(scrapedAt) : v.scrapedAt();
        Map<PoolId, String> failed = scrapeInfoChanged ? Map.copyOf(failures) : v.failures();
        scrapeInfoChanged = false;
        view = new ArenaView(chainId, v.mode(), tipNumber, tipHash, Map.copyOf(snapshots), scraped, failed, blocksApplied, eventsApplied);
        metrics.appliedBlock.set(tipNumber);
        metrics.pools.set(snapshots.size());
    }

    private void setMode(ArenaMode m) {
        ArenaView v = view;
        view = new ArenaView(chainId, m, v.blockNumber(), v.blockHash(), v.pools(), v.scrapedAt(), v.failures(), v.blocksApplied(), v.eventsApplied());
        metrics.mode.set(m.ordinal());
    }

    private FeedClient.Listener listener(BlockingQueue<Object> queue) {
        return new FeedClient.Listener() {
            @Override
            public void onBlock(FeedBlock block) {
                synchronized (recent) {
                    if (block.isRevert()) {
                        recent.pollLast();
                    } else {
                        recent.addLast(new Tip(block.number(), block.begin().blockHash()));
                        if (recent.size() > 64) {
                            recent.pollFirst();
                        }
                    }
                }
                if (!queue.offer(block)) {
                    overflow.set(true);
                }
            }

            @Override
            public void onRescrape(FeedFrame.Rescrape r) {
                LOG.warn("feed asks for a rescrape: {}", r.reason());
                queue.offer(Signal.RESCRAPE);
            }

            @Override
            public void onResumeRejected(FeedFrame.ResumeRejected r) {
                LOG.warn("feed cannot resume: {} {}", r.reason(), r.message());
                queue.offer(Signal.RESCRAPE);
            }

            @Override
            public void onDisconnect(String reason) {
                LOG.warn("feed connection lost: {}; reconnecting", reason);
            }
        };
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Abandons the current state and starts up again. */
    private static final class Restart extends RuntimeException {
        Restart(String message) {
            super(message);
        }
    }

    /** Stops applying blocks and writes a final checkpoint (when configured) at the last applied block. */
    @Override
    public void close() {
        running = false;
        if (client != null) {
            client.close();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        checkpoint();
    }
}
