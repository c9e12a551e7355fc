package io.poolstate.arena;

import io.poolstate.eth.Bytes32;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.FeedClient;
import io.poolstate.feed.client.PoolSetChange;
import io.poolstate.protocol.feed.FeedFrame;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The arena's inbox: the feed client's listener puts {@link FeedEvent}s in, the writer takes them out in order.
 * Bounded ({@code capacity} events); when it fills up (the writer fell that far behind, or a long start-up
 * scrape) it is marked overflowed and the writer restarts. Also keeps the feed's newest blocks (for pinning
 * start-up batches) and its head (from Hello, blocks and heartbeats).
 *
 * <p>Threads: the feed client's thread writes; the arena's writer reads. A new inbox per connection.
 */
final class FeedInbox implements FeedClient.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(FeedInbox.class);

    /** A block the feed has sent. */
    record Tip(long number, Bytes32 hash) {
    }

    private final BlockingQueue<FeedEvent> queue;
    private final int capacity;
    private final AtomicBoolean overflow = new AtomicBoolean();
    private final ArrayDeque<Tip> recent = new ArrayDeque<>();
    private final AtomicLong feedHead;
    private final ArenaMetrics metrics;
    /** Events offered into the queue (feed client's thread), for {@link #spin} to watch without taking the queue's lock. */
    private final AtomicLong offered = new AtomicLong();
    /** Events taken out of the queue (writer thread only). */
    private long taken;
    /** Decodes each committed block's updates as they arrive (feed client's thread only). */
    private final DecodedUpdates.Reader reader = new DecodedUpdates.Reader();

    FeedInbox(int capacity, AtomicLong feedHead, ArenaMetrics metrics) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.feedHead = feedHead;
        this.metrics = metrics;
    }

    /** The next event, waiting up to {@code ms}; null when none came. */
    FeedEvent poll(long ms) throws InterruptedException {
        if (overflow.get()) {
            metrics.bufferOverflows.increment();
            throw new ArenaRestart("feed buffer overflow: more than " + capacity + " events waiting");
        }
        FeedEvent e = queue.poll(ms, TimeUnit.MILLISECONDS);
        if (e != null) {
            taken++;
        }
        metrics.bufferedBlocks.set(queue.size());
        return e;
    }

    /**
     * The next event, waiting up to {@code ms} spinning on the count of events offered instead of sleeping in the queue,
     * yielding the core between looks: the calling core stays awake and keeps its caches unless another thread needs it
     * ({@link WriterIdle#SPIN}); null when none came.
     */
    FeedEvent spin(long ms) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        // <=: a poll may take an event before its producer has counted it
        while (offered.get() <= taken && !overflow.get()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("arena writer interrupted while waiting for the feed");
            }
            if (System.nanoTime() - deadline >= 0) {
                return null;
            }
            Thread.yield(); // a thread that wants this core (the feed client's, on a small machine) gets it; else back at once
        }
        return poll(0);
    }

    /** The next event if one is waiting. */
    FeedEvent poll() {
        try {
            return poll(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    int size() {
        return queue.size();
    }

    /** Committed blocks handed over with their updates decoded as they arrived (not decoded whole at their end). The feed client's thread. */
    long decodedAhead() {
        return reader.ahead();
    }

    /** The block {@code margin} below the newest the feed has sent, or null while there are too few. */
    Tip belowNewest(int margin) {
        synchronized (recent) {
            if (recent.size() <= margin) {
                return null;
            }
            var it = recent.descendingIterator();
            for (int i = 0; i < margin; i++) {
                it.next();
            }
            return it.next();
        }
    }

    private void put(FeedEvent e) {
        if (queue.offer(e)) {
            offered.incrementAndGet();
        } else {
            overflow.set(true);
        }
    }

    @Override
    public void onHello(FeedFrame.Hello hello) {
        reader.reset();
        feedHead.accumulateAndGet(hello.headBlockNumber(), Math::max);
        put(new FeedEvent.Connected(hello));
    }

    @Override
    public void onPoolSet(PoolSetChange change) {
        put(new FeedEvent.PoolSetChanged(change));
    }

    @Override
    public void onUpdate(FeedFrame.BeginBlock begin, FeedFrame.PoolUpdate update) {
        reader.add(begin, update);
    }

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
        feedHead.accumulateAndGet(block.number(), Math::max);
        long t0 = System.nanoTime();
        // its updates were decoded as they arrived (onUpdate), on this thread, not the writer's: what is left is handed over
        FeedEvent.Block decoded = new FeedEvent.Block(block, reader.finish(block));
        if (!block.isRevert()) {
            metrics.blockDecode.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
        put(decoded);
    }

    @Override
    public void onHeartbeat(long headBlockNumber) {
        feedHead.accumulateAndGet(headBlockNumber, Math::max);
    }

    @Override
    public void onRescrape(FeedFrame.Rescrape r) {
        LOG.warn("feed asks for a rescrape: {}", r.reason());
        put(new FeedEvent.Rescrape("feed lost track of the chain: " + r.reason()));
    }

    @Override
    public void onResumeRejected(FeedFrame.ResumeRejected r) {
        LOG.warn("feed cannot resume: {} {}", r.reason(), r.message());
        put(new FeedEvent.Rescrape("feed cannot resume: " + r.message()));
    }

    @Override
    public void onDisconnect(String reason) {
        reader.reset();
        metrics.feedDisconnects.increment();
        LOG.warn("feed connection lost: {}; reconnecting", reason);
    }
}
