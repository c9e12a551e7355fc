package io.poolstate.app.demo;

import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.MalformedLogException;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.FeedClient;
import io.poolstate.protocol.feed.FeedFrame;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Prints what a feed consumer receives: one line per pool event, a line per block, reverts announced. Runs on the feed client's thread. */
final class FeedPrinter implements FeedClient.Listener {
    private final Map<PoolId, PoolDescriptor> pools = new HashMap<>();
    private final EventFormatter formatter;
    private final PrintStream out;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong blocks = new AtomicLong();
    private final AtomicLong reverts = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();

    private final boolean eventLines;

    FeedPrinter(Deployment d, PrintStream out, boolean eventLines) {
        d.pools().forEach(p -> pools.put(p.id(), p));
        this.formatter = new EventFormatter(d);
        this.out = out;
        this.eventLines = eventLines;
    }

    @Override
    public void onBlock(FeedBlock block) {
        if (block.isRevert()) {
            reverts.incrementAndGet();
            out.printf("== reorg: block %d %s reverted (%d pool events undone)%n", block.number(), abbreviate(block.begin().blockHash().toString()),
                    block.updates().size());
            return;
        }
        blocks.incrementAndGet();
        for (FeedFrame.PoolUpdate u : block.updates()) {
            try {
                DecodedLog d = u.decode();
                if (eventLines) {
                    out.println(formatter.format(d, pools.get(d.pool())));
                }
                events.incrementAndGet();
            } catch (MalformedLogException e) {
                undecodable.incrementAndGet();
                out.println("undecodable update: " + e.getMessage());
            }
        }
        out.printf("-- block %d %s: %d pool events (whitelist snapshot %d)%n", block.number(), abbreviate(block.begin().blockHash().toString()),
                block.updates().size(), block.end().whitelistSnapshotId());
    }

    @Override
    public void onRescrape(FeedFrame.Rescrape r) {
        out.println("== feed asks for a rescrape: " + r.reason());
    }

    @Override
    public void onDisconnect(String reason) {
        out.println("feed connection lost (" + reason + "); reconnecting");
    }

    long events() {
        return events.get();
    }

    long reverts() {
        return reverts.get();
    }

    long undecodable() {
        return undecodable.get();
    }

    private static String abbreviate(String hex) {
        return hex.substring(0, 10) + "…";
    }
}
