package io.poolstate.nats;

import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistFold.Outcome;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.protocol.whitelist.WhitelistState;
import java.util.ArrayList;
import java.util.List;

/**
 * A whitelist followed on NATS and folded as it arrives, with no block synchronisation: for tools, harnesses and
 * tests that need the list in force and an account of what was refused. Every message goes through the one
 * {@link WhitelistFold}; what did not change the list is counted by kind with its reason.
 *
 * <p>Thread-safe: the subscription's delivery thread writes, any thread reads.
 */
public final class FoldingWhitelistSink implements WhitelistSink {
    /** Counts since start: messages applied, skipped as already applied, gaps, held by the guard, refused, and re-syncs taken. */
    public record Counts(long applied, long duplicates, long gaps, long held, long rejected, long malformed, long resyncs) {
    }

    private final WhitelistFold fold;
    private final List<String> reasons = new ArrayList<>();
    private long applied;
    private long duplicates;
    private long gaps;
    private long held;
    private long rejected;
    private long malformed;
    private long resyncs;

    /** @param withMetadata keep each pool's metadata (the {@code .full} subject) */
    public FoldingWhitelistSink(WhitelistFold.Guard guard, boolean withMetadata) {
        this.fold = new WhitelistFold(guard, withMetadata);
    }

    @Override
    public synchronized void resynced(List<WhitelistMessage> fromLatestFull) {
        resyncs++;
        count(fold.resync(fromLatestFull));
        fold.resyncSkipped().forEach(this::count);
    }

    @Override
    public synchronized void live(WhitelistMessage message) {
        count(fold.apply(message));
    }

    @Override
    public synchronized boolean needsResync() {
        return fold.needsResync();
    }

    @Override
    public synchronized void malformed(String subject, String reason) {
        malformed++;
        note("malformed " + subject + ": " + reason);
    }

    /** The list in force. */
    public synchronized WhitelistState state() {
        return fold.state();
    }

    /** Why the newest drastic change was held, or null. */
    public synchronized String held() {
        return fold.held();
    }

    public synchronized Counts counts() {
        return new Counts(applied, duplicates, gaps, held, rejected, malformed, resyncs);
    }

    /** The reasons of the newest refusals (at most 1,000), oldest first. */
    public synchronized List<String> reasons() {
        return List.copyOf(reasons);
    }

    private void count(Outcome o) {
        switch (o) {
            case Outcome.Applied a -> applied++;
            case Outcome.Duplicate d -> duplicates++;
            case Outcome.Gap g -> {
                gaps++;
                note("gap: " + g.reason());
            }
            case Outcome.Held h -> {
                held++;
                note("held: " + h.reason());
            }
            case Outcome.Rejected r -> {
                rejected++;
                note("rejected: " + r.reason());
            }
        }
    }

    private void note(String reason) {
        if (reasons.size() == 1_000) {
            reasons.remove(0);
        }
        reasons.add(reason);
    }
}
