package io.poolstate.feed.chain;

import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.event.LogDecoder;
import io.poolstate.dex.event.MalformedLogException;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.Confirmation;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.Log;
import io.poolstate.eth.rpc.RpcException;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.BlockFrames;
import io.poolstate.feed.socket.FrameServer;
import io.poolstate.feed.whitelist.Whitelist;
import io.poolstate.feed.whitelist.WhitelistTracker;
import io.poolstate.protocol.feed.FeedFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the chain head and turns each block into frames: new heads by subscription (WebSocket/IPC) or
 * polling (HTTP); every block's pool-event logs fetched by block hash; only whitelisted pools' events kept
 * (V2/V3 by log address, V4 by the PoolId in topics[1] of the PoolManager's logs). No block is skipped: a new
 * head is walked back by parent hash to a block already sent, so gaps are back-filled in order; blocks sent
 * that are not on the new head's chain are reverted first, newest first. A reorg deeper than the kept history
 * sends a {@link FeedFrame.Rescrape}. Whitelist updates are applied between blocks. After a lost connection
 * the agent re-subscribes with backoff and continues from the last block it sent.
 *
 * <p>Confirmed mode ({@link Settings#confirmation()} other than the head): the agent follows the confirmed block
 * instead of the head — N blocks below it, or the node's finalized block — so a reorg that replaces at most N blocks
 * (or none of the finalized ones) never reaches a block it sent, and no revert is ever sent for it. A head that moves
 * back without changing a sent block changes nothing; only a reorg deeper than the rule reverts, logged as an error.
 *
 * <p>Owns the {@code feed-follower} thread; all chain and whitelist state here is confined to it.
 */
public final class FeedAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedAgent.class);

    /**
     * Tuning: blocks of history kept for reorgs, idle time before a heartbeat, head polling interval on HTTP,
     * whether to send nothing before the first whitelist arrives (a feed whose list comes from NATS: forwarding
     * with no list would tell consumers to drop every pool), and which block counts as the newest
     * ({@code confirmation}: the head, N blocks below it, or the finalized block; see {@link Confirmation}).
     */
    public record Settings(int historyBlocks, Duration heartbeatInterval, Duration pollInterval, boolean awaitWhitelist, Confirmation confirmation) {
        public static final Settings DEFAULT = new Settings(256, Duration.ofSeconds(5), Duration.ofMillis(500), false);

        public Settings {
            if (confirmation == null) {
                throw new IllegalArgumentException("confirmation is required (Confirmation.HEAD to follow the head)");
            }
        }

        public Settings(int historyBlocks, Duration heartbeatInterval, Duration pollInterval, boolean awaitWhitelist) {
            this(historyBlocks, heartbeatInterval, pollInterval, awaitWhitelist, Confirmation.HEAD);
        }

        public Settings(int historyBlocks, Duration heartbeatInterval, Duration pollInterval) {
            this(historyBlocks, heartbeatInterval, pollInterval, false);
        }

        /** The same with {@code c}. */
        public Settings withConfirmation(Confirmation c) {
            return new Settings(historyBlocks, heartbeatInterval, pollInterval, awaitWhitelist, c);
        }
    }

    /** A block that was sent, kept to detect reorgs and to revert it. */
    private record Sent(BlockHeader header, BlockFrames frames) {
    }

    private final EthClient eth;
    private final BlockLogs blockLogs;
    private final WhitelistTracker whitelist;
    private final FrameServer server;
    private final FeedMetrics metrics;
    private final Settings settings;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final List<BlockSink> sinks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final TreeMap<Long, Sent> sent = new TreeMap<>();
    private volatile boolean running = true;
    private volatile AutoCloseable subscription;
    private Thread thread;
    private long malformedLogs;

    private static final Object RESUBSCRIBE = new Object();

    public FeedAgent(EthClient eth, WhitelistTracker whitelist, FrameServer server, FeedMetrics metrics, Settings settings) {
        this.eth = eth;
        this.blockLogs = new BlockLogs(eth);
        this.whitelist = whitelist;
        this.server = server;
        this.metrics = metrics;
        this.settings = settings;
    }

    /** Also hands every block sent, revert and rescrape to {@code sink} (on the follower thread, after the socket); before {@link #start()}. */
    public FeedAgent sink(BlockSink sink) {
        sinks.add(sink);
        return this;
    }

    /** Starts following from the current head (the first block sent is the head at start); older blocks are back-filled on resume. */
    public FeedAgent start() {
        server.backfill(this::canonicalAfter);
        thread = Thread.ofPlatform().name("feed-follower").start(this::run);
        return this;
    }

    public long malformedLogs() {
        return malformedLogs;
    }

    private void run() {
        subscribe();
        long lastBeat = System.nanoTime();
        while (running) {
            try {
                long wait = sent.isEmpty() ? Math.min(250, settings.heartbeatInterval().toMillis()) : settings.heartbeatInterval().toMillis();
                Object next = inbox.poll(wait, TimeUnit.MILLISECONDS);
                if (next == null) {
                    if (System.nanoTime() - lastBeat >= settings.heartbeatInterval().toNanos()) {
                        server.broadcast(new FeedFrame.Heartbeat(metrics.headBlock.get()));
                        lastBeat = System.nanoTime();
                    }
                    applyWhitelistIdle();
                } else if (next == RESUBSCRIBE) {
                    subscribe();
                } else {
                    BlockHeader head = (BlockHeader) next;
                    while (inbox.peek() instanceof BlockHeader newer && newer.number() >= head.number()) {
                        head = (BlockHeader) inbox.poll(); // a newer head covers this one
                    }
                    metrics.headBlock.set(head.number());
                    BlockHeader target = settings.confirmation().confirmed(eth, head);
                    if (target != null) {
                        follow(target);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (io.poolstate.eth.rpc.RpcErrorResponseException e) {
                // the node answered but not with the block (e.g. it was reorged away meanwhile): follow its head again
                LOG.warn("node refused a block call, following its current head: reason={}", e.getMessage());
                pause(50);
                requeueHead();
            } catch (io.poolstate.eth.rpc.RpcResponseFormatException e) {
                // the node answered something we cannot use (a bad log list, a malformed header): ask again
                metrics.malformed("node");
                LOG.warn("node answer refused, following its current head again: reason={}", e.getMessage());
                pause(200);
                requeueHead();
            } catch (RpcException e) {
                LOG.warn("node unreachable, reconnecting: reason={}", e.getMessage());
                pause(500);
                inbox.add(RESUBSCRIBE);
            } catch (RuntimeException e) {
                metrics.threadFailure("feed-follower");
                LOG.error("feed follower error, continuing from the node's head: reason={}", e.toString(), e);
                pause(500);
                requeueHead();
            }
        }
    }

    private void subscribe() {
        long backoff = 100;
        while (running) {
            try {
                closeSubscription();
                subscription = eth.newHeads(inbox::add, e -> {
                    if (running) {
                        LOG.warn("head subscription lost: reason={}", e.getMessage());
                        inbox.add(RESUBSCRIBE);
                    }
                }, settings.pollInterval());
                BlockHeader head = eth.latestHeader();
                LOG.info("following chain: endpoint={} head={} sending={}", eth.rpc().endpoint(), head.number(), settings.confirmation().describe());
                inbox.add(head); // catch up to the current head after (re)connecting
                return;
            } catch (RpcException e) {
                LOG.warn("cannot reach node, retrying in {} ms: reason={}", backoff, e.getMessage());
                pause(backoff);
                backoff = Math.min(10_000, backoff * 2);
            }
        }
    }

    private boolean waitingLogged;

    /** Brings the sent chain to {@code head}: revert what is not on its chain, send what is missing. */
    private void follow(BlockHeader head) {
        if (settings.awaitWhitelist() && whitelist.current().snapshotId() == 0) {
            applyWhitelist();
            if (whitelist.current().snapshotId() == 0) {
                if (!waitingLogged) {
                    waitingLogged = true;
                    LOG.info("waiting for the first whitelist before sending blocks: head={}", head.number());
                }
                return;
            }
        }
        if (sent.isEmpty()) {
            send(head);
            return;
        }
        Sent tip = sent.lastEntry().getValue();
        if (head.hash().equals(tip.header().hash())) {
            return;
        }
        if (!(settings.confirmation() instanceof Confirmation.Head) && head.number() < tip.header().number()) {
            Sent same = sent.get(head.number());
            if (same != null && same.header().hash().equals(head.hash())) {
                return; // the head went back (a reorg in progress) but not past what was confirmed: nothing to undo, nothing new
            }
        }
        List<BlockHeader> missing = new ArrayList<>();
        BlockHeader cur = head;
        while (true) {
            Sent known = sent.get(cur.number());
            if (known != null && known.header().hash().equals(cur.hash())) {
                break;
            }
            if (cur.number() < sent.firstKey() || missing.size() > 4 * settings.historyBlocks()) {
                deepReorg(head);
                return;
            }
            missing.add(cur);
            BlockHeader parent = eth.header(cur.parentHash());
            if (parent == null) {
                // the node replaced the chain while we walked it (a reorg in progress): start again from its head
                LOG.warn("parent of block {} {} unknown to the node; following its current head", cur.number(), cur.hash());
                pause(50);
                requeueHead();
                return;
            }
            cur = parent;
        }
        long ancestor = cur.number();
        int reverted = 0;
        while (sent.lastKey() > ancestor) {
            Sent s = sent.pollLastEntry().getValue();
            server.publishRevert(s.frames());
            sinks.forEach(k -> k.reverted(s.frames()));
            reverted++;
        }
        if (reverted > 0 && !(settings.confirmation() instanceof Confirmation.Head)) {
            LOG.error("reorg deeper than the confirmation rule ({}): sent blocks reverted={}", settings.confirmation().describe(), reverted);
        }
        if (reverted > 0) {
            metrics.reorgs.increment();
            metrics.reorgDepth.record(reverted);
            LOG.info("reorg: reverted={} common_ancestor={} new_head={} {}", reverted, ancestor, head.number(), head.hash());
        }
        for (int i = missing.size() - 1; i >= 0; i--) {
            send(missing.get(i));
        }
    }

    private void requeueHead() {
        try {
            inbox.add(eth.latestHeader());
        } catch (RpcException e) {
            inbox.add(RESUBSCRIBE);
        }
    }

    private void deepReorg(BlockHeader head) {
        long from = sent.isEmpty() ? head.number() : sent.firstKey();
        String reason = "reorg deeper than the kept history of " + settings.historyBlocks() + " blocks (new head " + head.number() + ")";
        LOG.error("{}: consumers must rescrape", reason);
        metrics.rescrapes.increment();
        FeedFrame.Rescrape rescrape = new FeedFrame.Rescrape(from, reason);
        server.broadcast(rescrape);
        sinks.forEach(k -> k.rescrape(rescrape));
        sent.clear();
        send(head);
    }

    /** Fetches one block's pool-event logs, checks them, then sends it. */
    private void send(BlockHeader h) {
        applyWhitelist();
        publishApplied(h, fetchLogs(h, whitelist.current()));
    }

    /**
     * The block's pool-event logs, read whole and in order ({@link BlockLogs}): the follower never sends a block
     * with a log missing, repeated or out of order. Any thread (the resume rebuild calls it too).
     */
    List<Log> fetchLogs(BlockHeader h, Whitelist w) {
        List<Log> all = blockLogs.read(h, problem -> {
            metrics.logRefetches.increment();
            LOG.warn("node log answer refused, asking again: block={} {} reason={}", h.number(), h.hash(), problem);
        });
        List<Log> pool = new ArrayList<>();
        for (Log l : all) {
            if (l.topic0() != null && EventKind.byTopic0(l.topic0()) != null) {
                pool.add(l);
            }
        }
        return pool;
    }

    /**
     * Applies pending whitelist updates (block boundary), keeps the whitelisted pools' logs, checks each decodes,
     * and sends the block's frames. Everything after the node's answer. Called on the follower thread, or by a
     * caller that owns an agent it never started (benchmarks).
     */
    public void publish(BlockHeader h, List<Log> logs) {
        applyWhitelist();
        publishApplied(h, logs);
    }

    /** Sends a block with the whitelist in force (updates already applied at this boundary). */
    private void publishApplied(BlockHeader h, List<Log> logs) {
        Sent parent = sent.get(h.number() - 1);
        Whitelist parentPools = parent != null && parent.header().hash().equals(h.parentHash()) ? parent.frames().pools() : null;
        BlockFrames frames = frames(h, logs, whitelist.current(), parentPools, true);
        server.publishCommit(frames);
        sinks.forEach(k -> k.committed(frames));
        sent.put(h.number(), new Sent(h, frames));
        while (sent.size() > settings.historyBlocks()) {
            sent.pollFirstEntry();
        }
        metrics.lastSentBlock.set(h.number());
        metrics.headBlock.accumulateAndGet(h.number(), Math::max);
    }

    /**
     * Rebuilds canonical blocks after (number, hash) and before {@code before} from the node, for a consumer
     * that resumes from further back than the history (this feed restarted, say). Uses the whitelist in force
     * now. Any thread; null when (number, hash) is not canonical or the chain moved meanwhile.
     */
    public List<BlockFrames> canonicalAfter(long number, Bytes32 hash, long before) {
        BlockHeader start = eth.header(number);
        if (start == null || !start.hash().equals(hash)) {
            return null;
        }
        List<BlockFrames> out = new ArrayList<>();
        Bytes32 parent = hash;
        Whitelist w = whitelist.current();
        for (long n = number + 1; n < before; n++) {
            BlockHeader b = eth.header(n);
            if (b == null || !b.parentHash().equals(parent)) {
                return null;
            }
            out.add(frames(b, fetchLogs(b, w), w, out.isEmpty() ? null : w, false));
            parent = b.hash();
        }
        return out;
    }

    /** The frames of one block: whitelisted pools' logs that decode, in log order. Counts events when {@code live}. */
    private BlockFrames frames(BlockHeader h, List<Log> logs, Whitelist w, Whitelist parentPools, boolean live) {
        List<FeedFrame.PoolUpdate> updates = new ArrayList<>();
        for (Log l : logs) {
            EventKind kind = EventKind.byTopic0(l.topic0());
            if (kind == null || !wanted(kind, l, w)) {
                continue;
            }
            try {
                var decoded = LogDecoder.decode(l);
                updates.add(new FeedFrame.PoolUpdate(h.number(), l.transactionIndex(), l.logIndex(), l.transactionHash(), decoded.pool(), kind,
                        l.topics().subList(1, l.topics().size()), l.data()));
                if (live) {
                    metrics.event(kind);
                }
            } catch (MalformedLogException e) {
                if (live) {
                    malformedLogs++;
                    metrics.malformed("log");
                    LOG.warn("skipping undecodable log: {}", e.getMessage());
                }
            }
        }
        return BlockFrames.of(h.number(), h.hash(), h.parentHash(), h.timestamp(), updates, w, parentPools);
    }

    private boolean wanted(EventKind kind, Log l, Whitelist w) {
        if (kind.protocol() == io.poolstate.dex.pool.Protocol.UNISWAP_V4) {
            return l.topics().size() > 1 && whitelist.managers().contains(l.address()) && w.v4Ids().contains(l.topics().get(1));
        }
        return w.contains(PoolId.of(l.address()));
    }

    private void applyWhitelistIdle() {
        // with no blocks coming, updates still take effect (before the next block, never inside one)
        applyWhitelist();
        if (sent.isEmpty() && settings.awaitWhitelist() && whitelist.current().snapshotId() != 0) {
            requeueHead(); // the first list arrived on a quiet chain: send the head now rather than at the next block
        }
    }

    private void applyWhitelist() {
        WhitelistTracker.Applied a = whitelist.applyPending();
        if (a.updates() > 0) {
            metrics.whitelistUpdatesApplied.increment(a.updates());
            metrics.poolsAdded.increment(a.added().size());
            metrics.poolsRemoved.increment(a.removed().size());
            a.latenciesNanos().forEach(metrics::whitelistLatency);
            metrics.whitelistSize(whitelist.current().sizeByProtocol());
        }
        metrics.pendingWhitelistUpdates.set(whitelist.pendingUpdates());
        metrics.largestPendingQueue.set(whitelist.largestQueue());
        metrics.whitelistHeld.set(whitelist.heldReason() == null ? 0 : 1);
        metrics.whitelistRejected.set(whitelist.malformedMessages());
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeSubscription() {
        AutoCloseable s = subscription;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.debug("closing head subscription failed: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        closeSubscription();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
