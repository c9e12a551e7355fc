package io.poolstate.app.demo;

import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.LogDecoder;
import io.poolstate.dex.event.MalformedLogException;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.eth.Address;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.Log;
import io.poolstate.eth.rpc.LogFilter;
import io.poolstate.eth.rpc.RpcException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows the devnet's heads over a subscription, fetches each new block's pool logs, decodes them and prints
 * one line per event; a head that does not extend the last one is reported as a reorg. Owns one thread
 * ({@code event-tap}); heads arrive on the transport's thread and are handed over through a queue.
 */
public final class EventTapAgent implements AutoCloseable {
    private final EthClient eth;
    private final Map<PoolId, PoolDescriptor> pools = new HashMap<>();
    private final List<Address> emitters = new ArrayList<>();
    private final EventFormatter formatter;
    private final PrintStream out;
    private final BlockingQueue<BlockHeader> heads = new LinkedBlockingQueue<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private volatile boolean running = true;
    private AutoCloseable subscription;
    private Thread thread;
    private BlockHeader last;

    public EventTapAgent(EthClient eth, Deployment d, PrintStream out) {
        this.eth = eth;
        this.out = out;
        this.formatter = new EventFormatter(d);
        for (PoolDescriptor p : d.pools()) {
            pools.put(p.id(), p);
            if (p.protocol() != Protocol.UNISWAP_V4) {
                emitters.add(p.id().address());
            }
        }
        emitters.add(d.contracts().poolManager());
    }

    public EventTapAgent start() {
        last = eth.latestHeader();
        subscription = eth.newHeads(heads::add, e -> {
            if (running) {
                out.println("event tap: head subscription ended: " + e.getMessage());
            }
        }, Duration.ofMillis(200));
        thread = Thread.ofPlatform().name("event-tap").daemon().start(this::loop);
        return this;
    }

    public long events() {
        return events.get();
    }

    public long malformed() {
        return malformed.get();
    }

    private void loop() {
        while (running) {
            try {
                BlockHeader h = heads.take();
                onHead(h);
            } catch (InterruptedException e) {
                return;
            } catch (RpcException e) {
                if (running) {
                    out.println("event tap: " + e.getMessage());
                }
            }
        }
    }

    private void onHead(BlockHeader h) {
        if (h.number() <= last.number() || (h.number() == last.number() + 1 && !h.parentHash().equals(last.hash()))) {
            long depth = last.number() - h.number() + 1;
            out.printf("== reorg: block %d %s replaces the chain after block %d (%d block(s) orphaned)%n", h.number(), abbreviate(h.hash().toString()),
                    h.number() - 1, Math.max(1, depth));
        }
        for (long n = last.number() + 1; n < h.number(); n++) {
            BlockHeader gap = eth.header(n);
            if (gap != null) {
                print(gap);
            }
        }
        print(h);
        last = h;
    }

    private void print(BlockHeader h) {
        List<Log> logs = eth.logs(LogFilter.block(h.hash(), emitters));
        int count = 0;
        for (Log l : logs) {
            try {
                DecodedLog d = LogDecoder.decode(l);
                if (d != null && pools.containsKey(d.pool())) {
                    out.println(formatter.format(d, pools.get(d.pool())));
                    count++;
                }
            } catch (MalformedLogException e) {
                malformed.incrementAndGet();
                out.println("undecodable log: " + e.getMessage());
            }
        }
        events.addAndGet(count);
        out.printf("-- block %d %s: %d pool events%n", h.number(), abbreviate(h.hash().toString()), count);
    }

    private static String abbreviate(String hex) {
        return hex.substring(0, 10) + "…";
    }

    @Override
    public void close() {
        running = false;
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                out.println("event tap: unsubscribe failed: " + e.getMessage());
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
