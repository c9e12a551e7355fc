package io.poolstate.arena;

import io.poolstate.arena.checkpoint.CheckpointStore;
import io.poolstate.arena.mmap.ArenaFileWriter;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.scrape.V4LpFeeReader;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.Backoff;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.RpcException;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.FeedClient;
import io.poolstate.feed.client.FeedSource;
import io.poolstate.feed.client.PoolSetChange;
import io.poolstate.protocol.feed.FeedFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an exact copy of the pools the feed forwards. Start-up: connect to the feed and buffer its stream;
 * read every pool at one pinned block R (the feed's newest block, named in its Hello, so an idle chain goes
 * live at once — or the parent of the first block when the feed has sent none), pinned by hash so a reorg
 * cannot swap it; replay what was buffered; then apply each block as it ends ({@link LiveBook}). The feed's
 * pool-set frames say which pools are forwarded from which block ({@link PoolSetFollower}); the
 * {@link PoolCatalog} supplies their metadata. Reverts go through the engine's journal; anything the state
 * cannot follow — a revert past the journal, a rescrape frame, a refused resume, a full buffer, a block that
 * does not extend the tip — starts up again: a fresh read, never a silent drift. After each committed block the
 * dynamic-fee pools' LP fees are re-read at it ({@link LpFeeRefresher}). Every N blocks a sample is compared with
 * the chain ({@link SelfCheck}).
 *
 * <p>Threads: owns the {@code arena-writer} thread, the single writer of all the state here; the feed client's
 * thread only fills the inbox; readers use {@link #view()}, an immutable snapshot published after each block, or,
 * in other processes, the arena file ({@link #arenaFile}) the writer thread also writes each block into.
 */
public final class ArenaAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArenaAgent.class);

    /**
     * Start-up buffer (events waiting), journal depth, scrape batching, self-check period and sample (0 = off),
     * checkpoints, {@code pinnedBatchPools} (0 reads every pool at one pinned block; N > 0 reads N pools at a
     * time, each batch pinned to a block the feed sent while the previous batch was read), how long a silent
     * feed connection is trusted, how long start-up waits for the catalog to describe the forwarded pools, how the writer waits for the feed's
     * events ({@link WriterIdle}), and how many synthetic blocks warm the block path up when the process starts ({@link WarmUpAgent}; 0: none).
     */
    public record Settings(int bufferBlocks, int journalDepth, ScrapeSettings scrape, int selfCheckEvery, int selfCheckSample,
                           Path checkpointFile, int checkpointEvery, int pinnedBatchPools, Duration feedReadDeadline, Duration metadataWait,
                           WriterIdle writerIdle, int warmUpBlocks) {
        /** Synthetic blocks of the start-up warm-up by default: past the JIT's thresholds for the per-block methods (about 5,000 calls). */
        public static final int DEFAULT_WARM_UP_BLOCKS = 6_000;
        /** At most this many warm-up blocks. */
        public static final int MAX_WARM_UP_BLOCKS = WarmUpAgent.MAX_BLOCKS;
        public static final Settings DEFAULT = new Settings(10_000, 256, ScrapeSettings.DEFAULT, 100, 5, null, 100, 0, Duration.ofSeconds(15),
                Duration.ofSeconds(10), WriterIdle.PARK, DEFAULT_WARM_UP_BLOCKS);

        public Settings {
            if (warmUpBlocks < 0 || warmUpBlocks > MAX_WARM_UP_BLOCKS) {
                throw new IllegalArgumentException("warm-up blocks must be 0.." + MAX_WARM_UP_BLOCKS + ": warm_up_blocks=" + warmUpBlocks);
            }
        }

        /** The same settings writing a checkpoint to {@code file} every {@code every} blocks and on shutdown. */
        public Settings withCheckpoint(Path file, int every) {
            return new Settings(bufferBlocks, journalDepth, scrape, selfCheckEvery, selfCheckSample, file, every, pinnedBatchPools, feedReadDeadline,
                    metadataWait, writerIdle, warmUpBlocks);
        }

        /** The same settings reading {@code pools} pools per pinned block at start-up (0: one block for all). */
        public Settings withPinnedBatches(int pools) {
            return new Settings(bufferBlocks, journalDepth, scrape, selfCheckEvery, selfCheckSample, checkpointFile, checkpointEvery, pools,
                    feedReadDeadline, metadataWait, writerIdle, warmUpBlocks);
        }

        /** The same settings with a self-check every {@code every} blocks of {@code sample} pools. */
        public Settings withSelfCheck(int every, int sample) {
            return new Settings(bufferBlocks, journalDepth, scrape, every, sample, checkpointFile, checkpointEvery, pinnedBatchPools,
                    feedReadDeadline, metadataWait, writerIdle, warmUpBlocks);
        }

        /** The same settings with the writer waiting for the feed's events as {@code idle} says. */
        public Settings withWriterIdle(WriterIdle idle) {
            return new Settings(bufferBlocks, journalDepth, scrape, selfCheckEvery, selfCheckSample, checkpointFile, checkpointEvery, pinnedBatchPools,
                    feedReadDeadline, metadataWait, idle, warmUpBlocks);
        }

        /** The same settings warming the block path up with {@code blocks} synthetic blocks when the process starts (0: none). */
        public Settings withWarmUp(int blocks) {
            return new Settings(bufferBlocks, journalDepth, scrape, selfCheckEvery, selfCheckSample, checkpointFile, checkpointEvery, pinnedBatchPools,
                    feedReadDeadline, metadataWait, writerIdle, blocks);
        }
    }

    /** Blocks between the newest one the feed has sent and a later batch's pinned block: shallow reorgs leave it alone. */
    static final int PIN_MARGIN = 2;

    private final EthClient eth;
    private final FeedSource.Factory feed;
    private final PoolCatalog catalog;
    private final Settings settings;
    private final ArenaMetrics metrics;
    private final PoolScraper scraper;
    private final long chainId;
    private final CheckpointStore checkpoints;
    /** Writes the periodic checkpoints on its own thread; null without a checkpoint file. */
    private final io.poolstate.arena.checkpoint.CheckpointAgent checkpointWriter;
    private final ViewPublisher views;
    private final SelfCheck selfCheck;
    private final LpFeeRefresher lpFees;
    private final ViewHistory history;
    private final AtomicLong feedHead = new AtomicLong();
    private volatile boolean running = true;
    private FeedInbox inbox;
    private volatile FeedSource client;
    private Thread thread;
    private LiveBook book;
    private PoolSetFollower follower;
    private boolean triedCheckpoint;
    private ArenaFileWriter arenaFile;

    /** An arena serving the pools the feed on {@code feedSocket} forwards, described by {@code catalog}. */
    public ArenaAgent(EthClient eth, Address multicall, Path feedSocket, PoolCatalog catalog, Settings settings, ArenaMetrics metrics) {
        this(eth, multicall, FeedSource.socket(feedSocket), catalog, settings, metrics);
    }

    /** An arena serving the pools the feed forwards through {@code feed} (its socket, or its JetStream stream). */
    public ArenaAgent(EthClient eth, Address multicall, FeedSource.Factory feed, PoolCatalog catalog, Settings settings, ArenaMetrics metrics) {
        this.eth = eth;
        this.feed = feed;
        this.catalog = catalog;
        this.settings = settings;
        this.metrics = metrics;
        this.scraper = new PoolScraper(eth, multicall, settings.scrape());
        this.chainId = eth.chainId();
        this.checkpoints = settings.checkpointFile() == null ? null : new CheckpointStore(settings.checkpointFile());
        this.checkpointWriter = checkpoints == null ? null : new io.poolstate.arena.checkpoint.CheckpointAgent(checkpoints, metrics);
        this.views = new ViewPublisher(chainId, metrics);
        this.history = new ViewHistory(settings.journalDepth());
        this.views.listen(history);
        this.selfCheck = new SelfCheck(scraper, catalog, metrics, settings.selfCheckSample());
        this.lpFees = new LpFeeRefresher(new V4LpFeeReader(eth, settings.scrape().slotsPerExtsload()), metrics);
    }

    /**
     * Also writes the served state into the memory-mapped arena file at {@code file} after each block (see
     * {@code io.poolstate.mmap.ArenaFileLayout}); call before {@link #start()}.
     *
     * @throws IOException when the file cannot be created
     */
    public ArenaAgent arenaFile(Path file) throws java.io.IOException {
        if (thread != null) {
            throw new IllegalStateException("the arena file is set before the arena starts");
        }
        arenaFile = ArenaFileWriter.create(file, chainId);
        views.file(arenaFile);
        LOG.info("arena file: path={} generation={}", arenaFile.path(), arenaFile.generation());
        return this;
    }

    public ArenaAgent start() {
        if (checkpointWriter != null) {
            checkpointWriter.start();
        }
        thread = Thread.ofPlatform().name("arena-writer").start(this::run);
        return this;
    }

    /** Whether this process's start-up warm-up ({@link Settings#warmUpBlocks}) is running now (any thread). */
    public static boolean warmingUp() {
        return WarmUpAgent.running();
    }

    /** The state at the end of the last applied block (any thread). */
    public ArenaView view() {
        return views.current();
    }

    /** The views of the blocks still in the journal, for answers at an earlier block (any thread). */
    public ViewHistory history() {
        return history;
    }

    /**
     * Tells {@code l} of every view published from now on, on the writer thread (it must not block); call before
     * {@link #start()} to see every block.
     */
    public ArenaAgent listen(ViewListener l) {
        views.listen(l);
        return this;
    }

    /** When the served state last advanced ({@link System#nanoTime()}), for staleness (any thread). */
    public long lastAdvanceNanos() {
        return views.lastAdvanceNanos();
    }

    /** Where the feed's blocks come from (socket or JetStream), for the status. */
    public String feedSource() {
        return feed.describe();
    }

    /** The feed publishing the blocks now, when the source says (JetStream); null otherwise (any thread). */
    public String activeFeed() {
        FeedSource c = client;
        return c == null ? null : c.activeFeed();
    }

    /** The newest block the feed has named (any thread). */
    public long feedHead() {
        return feedHead.get();
    }

    private void run() {
        Backoff backoff = Backoff.of(500, 10_000);
        while (running) {
            try {
                if (!triedCheckpoint && checkpoints != null) {
                    triedCheckpoint = true;
                    if (!resumeFromCheckpoint()) {
                        startUp();
                    }
                } else {
                    startUp();
                }
                backoff = backoff.reset();
                live();
            } catch (ArenaRestart r) {
                LOG.warn("arena restarting start-up: reason={}", r.getMessage());
                metrics.rescrapes.increment();
            } catch (InterruptedException e) {
                return;
            } catch (RpcException e) {
                LOG.warn("node call failed, starting up again in {} ms: reason={}", backoff.millis(), e.getMessage());
                metrics.rescrapes.increment();
                backoff = backoff.pause();
            } catch (RuntimeException e) {
                metrics.threadFailures.increment();
                LOG.error("arena error, starting up again in {} ms: reason={}", backoff.millis(), e.toString(), e);
                metrics.rescrapes.increment();
                backoff = backoff.pause();
            }
        }
    }

    /** Drops the feed connection and what it buffered; connects again resuming after (number, hash). */
    private void connect(long afterNumber, Bytes32 afterHash) {
        if (client != null) {
            client.close();
        }
        inbox = new FeedInbox(settings.bufferBlocks(), feedHead, metrics);
        client = feed.open(afterNumber, afterHash, inbox, new FeedClient.Settings(chainId, true, settings.feedReadDeadline(), Duration.ofSeconds(2)))
                .start();
    }

    /** Loads the checkpoint and resumes the feed after its block; false when there is none to use. */
    private boolean resumeFromCheckpoint() {
        CheckpointStore.Checkpoint c = checkpoints.read(chainId);
        if (c == null) {
            return false;
        }
        book = new LiveBook(settings.journalDepth(), c.blockNumber(), c.blockHash());
        c.states().forEach((id, s) -> book.put(s, c.scrapedAt().getOrDefault(id, c.blockNumber())));
        follower = new PoolSetFollower(catalog, scraper, metrics);
        views.reset(book, follower, ArenaMode.REPLAYING);
        connect(c.blockNumber(), c.blockHash());
        views.mode(ArenaMode.LIVE); // from here each block is applied as it ends; staleness tells while it catches up
        warmUp();
        LOG.info("arena resumed from checkpoint: file={} block={} {} pools={}", checkpoints.file(), c.blockNumber(), c.blockHash(), c.states().size());
        return true;
    }

    /** Writes the state at the last applied block now, on the calling thread (any thread: it writes the published view). */
    public void checkpoint() {
        ArenaView v = views.current();
        if (checkpoints == null || v.mode() != ArenaMode.LIVE || v.pools().isEmpty()) {
            return;
        }
        checkpointWriter.writeNow(v);
    }

    /** Connect and buffer, read every pool at the pinned block, replay. */
    private void startUp() throws InterruptedException {
        views.mode(ArenaMode.BUFFERING);
        connect(0, null);
        FeedFrame.Hello hello = null;
        PoolSetChange named = null;
        FeedBlock first = null;
        Deque<FeedEvent> held = new ArrayDeque<>();
        while (running && (hello == null || named == null || (hello.headBlockNumber() == 0 && first == null))) {
            FeedEvent e = inbox.poll(200);
            if (e == null) {
                continue;
            }
            if (e instanceof FeedEvent.Rescrape r) {
                throw new ArenaRestart(r.reason());
            } else if (hello == null && e instanceof FeedEvent.Connected c) {
                hello = c.hello();
            } else if (named == null && e instanceof FeedEvent.PoolSetChanged p && p.change().replace()) {
                named = p.change();
            } else {
                if (first == null && hello != null && hello.headBlockNumber() == 0 && e instanceof FeedEvent.Block b && !b.block().isRevert()) {
                    first = b.block();
                }
                held.add(e);
            }
        }
        if (!running) {
            throw new InterruptedException("arena stopped");
        }
        long pinNumber = hello.headBlockNumber() > 0 ? hello.headBlockNumber() : first.number() - 1;
        Bytes32 pinHash = hello.headBlockNumber() > 0 ? hello.headBlockHash() : first.begin().parentHash();
        book = new LiveBook(settings.journalDepth(), pinNumber, pinHash);
        follower = new PoolSetFollower(catalog, scraper, metrics);
        follower.change(named, book);
        while (held.peekFirst() instanceof FeedEvent.PoolSetChanged p) {
            follower.change(p.change(), book); // changes before the first block after the pin: read the set that block is built with
            held.pollFirst();
        }
        awaitMetadata();
        views.reset(book, follower, ArenaMode.SCRAPING);
        long t0 = System.nanoTime();
        scrapePinned(pinNumber, pinHash);
        metrics.scrapeDuration.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        LOG.info("arena scraped: pools={} waiting={} block={} {} seconds={} buffered={}", book.served().size(), follower.notServed().size(),
                pinNumber, pinHash, (System.nanoTime() - t0) / 1e9, held.size() + inbox.size());
        views.mode(ArenaMode.REPLAYING);
        for (FeedEvent e : held) {
            handle(e);
        }
        FeedEvent e;
        while ((e = inbox.poll()) != null) {
            handle(e);
        }
        if (follower.due()) {
            follower.join(book);
        }
        views.publish(book, follower, ArenaMode.LIVE);
        LOG.info("arena live: block={} pools={} forwarded={}", book.tipNumber(), book.served().size(), follower.forwarded());
        warmUp();
    }

    /**
     * Warms the block path up once per process ({@link WarmUpAgent}, on its own thread), once the arena is live: not
     * during start-up's reads, which it would slow on a small machine, and ahead of most blocks at the chain's pace.
     */
    private void warmUp() {
        WarmUpAgent.startOnce(settings.warmUpBlocks(), metrics, () -> !running);
    }

    /** Waits (bounded) until the catalog describes every forwarded pool, so start-up reads them all at once. */
    private void awaitMetadata() throws InterruptedException {
        long deadline = System.nanoTime() + settings.metadataWait().toNanos();
        while (running && System.nanoTime() < deadline && follower.forwardedIds().stream().anyMatch(id -> catalog.metadata(id) == null)) {
            Thread.sleep(100);
        }
    }

    /** Reads the forwarded pools the catalog describes: all at the pin, or in batches pinned to newer feed blocks. */
    private void scrapePinned(long pinNumber, Bytes32 pinHash) {
        List<PoolDescriptor> pools = new ArrayList<>();
        for (PoolId id : follower.forwardedIds()) {
            PoolDescriptor d = catalog.metadata(id);
            if (d != null) {
                pools.add(d);
            }
        }
        int batch = settings.pinnedBatchPools() > 0 ? settings.pinnedBatchPools() : Math.max(1, pools.size());
        long n = pinNumber;
        Bytes32 h = pinHash;
        for (int from = 0; from < pools.size(); from += batch) {
            if (from > 0) {
                FeedInbox.Tip seen = inbox.belowNewest(PIN_MARGIN);
                if (seen != null && seen.number() > n) {
                    n = seen.number();
                    h = seen.hash();
                }
            }
            ScrapeResult r = scraper.scrape(pools.subList(from, Math.min(pools.size(), from + batch)), BlockRef.hash(h), n);
            long at = n;
            r.states().forEach((id, s) -> {
                book.put(s, at);
                follower.joined(id);
            });
            if (!r.failures().isEmpty()) {
                LOG.error("pools not served, read failed (retrying): block={} {}", at, r.failureSummary());
                metrics.scrapeFailures.increment(r.failures().size());
            }
        }
        follower.reread(pools.stream().map(PoolDescriptor::id).filter(id -> !book.serves(id)).toList());
    }

    private void live() throws InterruptedException {
        boolean spin = settings.writerIdle() == WriterIdle.SPIN;
        while (running) {
            FeedEvent e = spin ? inbox.spin(200) : inbox.poll(200);
            if (e == null) {
                if (follower.due()) {
                    follower.join(book); // an idle chain: added pools join at the tip
                    views.publish(book, follower, ArenaMode.LIVE);
                }
                if (lpFees.retryDue(book)) {
                    lpFees.refresh(book); // an idle chain: LP fees that could not be read at the tip
                    views.publish(book, follower, ArenaMode.LIVE);
                }
                continue;
            }
            handle(e);
        }
        throw new InterruptedException("arena stopped");
    }

    private void handle(FeedEvent e) {
        switch (e) {
            case FeedEvent.Connected c -> {
                // a reconnection: the client resumed after the last block it delivered
            }
            case FeedEvent.PoolSetChanged p -> {
                follower.change(p.change(), book);
                views.publish(book, follower, views.current().mode());
            }
            case FeedEvent.Block b -> apply(b.block(), b.updates());
            case FeedEvent.Rescrape r -> throw new ArenaRestart(r.reason());
        }
    }

    private void apply(FeedBlock b, DecodedUpdates updates) {
        applyBlock(b, updates, book, follower, lpFees, views, metrics);
        if (b.isRevert() || views.current().mode() != ArenaMode.LIVE) {
            return;
        }
        long applied = book.blocksApplied();
        if (settings.selfCheckEvery() > 0 && applied % settings.selfCheckEvery() == 0 && selfCheck.run(book) > 0) {
            views.publish(book, follower, ArenaMode.LIVE);
        }
        if (checkpoints != null && settings.checkpointEvery() > 0 && applied % settings.checkpointEvery() == 0 && !views.current().pools().isEmpty()) {
            checkpointWriter.offer(views.current()); // written on the checkpoint thread, off the apply path
        }
    }

    /**
     * One block through the writer's path, timed as {@code poolstate_arena_block_apply}: added pools joined at the tip,
     * the block applied to the book (the pools looked up, the events applied with the journal, the touched pools'
     * snapshots), dynamic LP fees re-read, the view published (and its listeners told). {@code updates} are the block's
     * updates as the feed client's thread decoded them when the block arrived ({@link FeedInbox#onBlock}): decoding is
     * not on this path. Writer thread, or the start-up warm-up's on objects of its own ({@link WarmUpAgent}); package-private so
     * that the apply benchmark drives exactly this.
     */
    static void applyBlock(FeedBlock b, DecodedUpdates updates, LiveBook book, PoolSetFollower follower, LpFeeRefresher lpFees, ViewPublisher views,
                           ArenaMetrics metrics) {
        long t0 = System.nanoTime();
        if (!b.isRevert() && follower.due()) {
            follower.join(book); // read added pools at the tip, the last block before their events
        }
        List<PoolId> reread = book.apply(b, updates);
        follower.reread(reread);
        if (!b.isRevert()) {
            lpFees.refresh(book); // dynamic LP fees change without an event: re-read them at this block
        }
        if (b.isRevert()) {
            metrics.blocksReverted.increment();
        } else {
            metrics.blocksApplied.increment();
            metrics.eventsApplied.increment(b.updates().size());
        }
        views.publish(book, follower, views.current().mode());
        metrics.blockApply.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
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
        if (checkpointWriter != null) {
            checkpointWriter.close();
        }
        checkpoint();
        if (arenaFile != null) {
            arenaFile.close();
        }
    }
}
