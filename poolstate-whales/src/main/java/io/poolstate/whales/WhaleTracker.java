package io.poolstate.whales;

import io.poolstate.eth.Address;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.JsonRpcClient;
import io.poolstate.postgres.Database;
import io.poolstate.whales.analysis.AccumulationAnalyzer;
import io.poolstate.whales.analysis.Window;
import io.poolstate.whales.analysis.WindowMetrics;
import io.poolstate.whales.holders.TransferIndexer;
import io.poolstate.whales.holders.WhaleListBuilder;
import io.poolstate.whales.snapshot.BalanceSnapshotter;
import io.poolstate.whales.snapshot.SnapshotOutcome;
import io.poolstate.whales.store.StoredSnapshot;
import io.poolstate.whales.store.WhaleStore;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one whale snapshot: under the cross-process lock, and only if its interval slot has no complete snapshot
 * yet, picks the block {@code confirmations} behind the head, brings the Transfer index to it, builds the top-N
 * list, reads all balances at that block, derives entries/exits against the previous snapshot and the metrics per
 * window, and stores it all in one transaction. A failure stores an incomplete row with the reason instead; a
 * database failure (nothing can be stored) is thrown, naming the slot and the block, and the slot stays open. Called
 * from one thread at a time per process (the lock covers other processes).
 *
 * <p>One clock: slots are UTC wall-clock intervals aligned to the epoch, and the analysis windows compare slot
 * starts (see {@link WhaleStore#baseline}); block times are stored for reference only. The snapshot's
 * {@code rpc_calls}/{@code rpc_requests} are what its {@link EthClient} sent while it was taken, so that client
 * must be the tracker's own.
 */
public final class WhaleTracker {
    private static final Logger LOG = LoggerFactory.getLogger(WhaleTracker.class);

    private final EthClient eth;
    private final WhaleSettings settings;
    private final WhaleStore store;
    private final WhaleMetrics metrics;
    private final TransferIndexer indexer;
    private final WhaleListBuilder lists;
    private final BalanceSnapshotter balances;

    public WhaleTracker(EthClient eth, WhaleSettings settings, WhaleStore store, WhaleMetrics metrics) {
        this.eth = eth;
        this.settings = settings;
        this.store = store;
        this.metrics = metrics;
        this.indexer = settings.token() == null ? null : new TransferIndexer(eth, store, settings.token(), settings.historyStartBlock(), 50_000);
        this.lists = new WhaleListBuilder(eth, store, settings.excluded(), settings.excludeContracts(), settings.givenList());
        this.balances = new BalanceSnapshotter(eth, settings.multicall(), settings.token(), settings.batchSize(), settings.attempts());
    }

    public WhaleStore store() {
        return store;
    }

    /** The start of the interval slot holding {@code now} (UTC, aligned to the epoch). */
    public Instant slotOf(Instant now) {
        long ms = settings.interval().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), ms) * ms);
    }

    /** One attempt for the slot of {@code now}. */
    public SnapshotOutcome snapshot(Instant now) throws Exception {
        Instant slot = slotOf(now);
        AtomicReference<SnapshotOutcome> outcome = new AtomicReference<>();
        boolean ran = store.withSnapshotLock(() -> {
            var done = store.completeInSlot(slot);
            outcome.set(done.isPresent() ? new SnapshotOutcome.SlotDone(slot, done.get().id()) : take(slot));
        });
        if (!ran) {
            outcome.set(new SnapshotOutcome.LockHeld(store.asset()));
        }
        switch (outcome.get()) {
            case SnapshotOutcome.SlotDone d -> LOG.info("whale snapshot skipped: asset={} slot={} reason=slot already has complete snapshot {}",
                    store.asset(), d.slot(), d.snapshotId());
            case SnapshotOutcome.LockHeld h -> LOG.info("whale snapshot skipped: asset={} reason=another process holds the snapshot lock", h.asset());
            default -> {
            }
        }
        return outcome.get();
    }

    private SnapshotOutcome take(Instant slot) throws Exception {
        long started = System.nanoTime();
        Instant takenAt = Instant.now();
        JsonRpcClient.Traffic sentBefore = eth.rpc().traffic();
        BlockHeader block = null;
        try {
            BlockHeader head = eth.latestHeader();
            block = settings.confirmations() == 0 ? head : eth.header(Math.max(0, head.number() - settings.confirmations()));
            if (lists.ranksHolders()) {
                metrics.transfersIndexed(indexer.indexTo(block));
            }
            List<Address> list = lists.build(settings.topN(), block);
            BalanceSnapshotter.Result r = balances.take(list, block);
            try {
                return store(slot, takenAt, block, r, started, sentBefore);
            } catch (java.sql.SQLException e) {
                throw new java.sql.SQLException("whale snapshot not stored, its slot stays open: asset=" + store.asset() + " slot=" + slot + " block="
                        + block.number() + " reason=" + Database.reason(e), e.getSQLState(), e);
            }
        } catch (BalanceSnapshotter.SnapshotFailedException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("whale snapshot interrupted by shutdown; slot " + slot + " stays open");
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            String reason = e instanceof BalanceSnapshotter.SnapshotFailedException ? e.getMessage() : e.toString();
            JsonRpcClient.Traffic sent = eth.rpc().traffic().minus(sentBefore);
            long id = store.storeIncomplete(new StoredSnapshot(0, store.asset(), slot, "incomplete", reason, block == null ? null : block.number(),
                    block == null ? null : block.hash().toString(), block == null ? null : Instant.ofEpochSecond(block.timestamp()), takenAt, 0,
                    (int) sent.calls(), (int) sent.requests(), ms));
            metrics.failure("snapshot");
            metrics.snapshot("incomplete", ms, 0, sent);
            LOG.error("whale snapshot incomplete: asset={} slot={} id={} reason={}", store.asset(), slot, id, reason);
            return new SnapshotOutcome.Failed(id, reason);
        }
    }

    private Map<Address, BigInteger> balancesOf(long snapshotId, Map<Long, Map<Address, BigInteger>> loaded) throws java.sql.SQLException {
        Map<Address, BigInteger> m = loaded.get(snapshotId);
        if (m == null) {
            m = store.assetBalances(snapshotId);
            loaded.put(snapshotId, m);
        }
        return m;
    }

    private SnapshotOutcome store(Instant slot, Instant takenAt, BlockHeader block, BalanceSnapshotter.Result r, long started,
                                  JsonRpcClient.Traffic sentBefore) throws Exception {
        Instant blockTime = Instant.ofEpochSecond(block.timestamp());
        List<WhaleStore.Balance> rows = new ArrayList<>(r.balances().size());
        Map<Address, BigInteger> current = new LinkedHashMap<>();
        Map<Address, Integer> rank = new HashMap<>();
        int i = 1;
        for (BalanceSnapshotter.Balances b : r.balances()) {
            rows.add(new WhaleStore.Balance(b.address(), i, b.asset(), b.eth()));
            current.put(b.address(), b.asset());
            rank.put(b.address(), i++);
        }
        List<WhaleStore.ListChange> changes = new ArrayList<>();
        Map<Long, Map<Address, BigInteger>> loaded = new HashMap<>(); // the previous snapshot is often a window's baseline too
        var previous = store.latestComplete();
        Map<Address, BigInteger> before = previous.isPresent() ? balancesOf(previous.get().id(), loaded) : Map.of();
        for (Address a : current.keySet()) {
            if (!before.containsKey(a)) {
                changes.add(new WhaleStore.ListChange(a, "enter", rank.get(a)));
            }
        }
        for (Address a : before.keySet()) {
            if (!current.containsKey(a)) {
                changes.add(new WhaleStore.ListChange(a, "exit", null));
            }
        }
        List<WindowMetrics> windows = new ArrayList<>();
        for (Window w : settings.windows()) {
            var base = store.baseline(slot, w.length());
            if (base.isPresent()) {
                long span = slot.getEpochSecond() - base.get().slotStart().getEpochSecond();
                windows.add(AccumulationAnalyzer.analyze(w, base.get().id(), span, current, balancesOf(base.get().id(), loaded)));
            }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        JsonRpcClient.Traffic sent = eth.rpc().traffic().minus(sentBefore);
        StoredSnapshot s = new StoredSnapshot(0, store.asset(), slot, "complete", null, block.number(), block.hash().toString(), blockTime, takenAt,
                rows.size(), (int) sent.calls(), (int) sent.requests(), ms);
        long id = store.storeComplete(s, rows, changes, windows);
        metrics.snapshot("complete", ms, rows.size(), sent);
        long entries = changes.stream().filter(c -> c.change().equals("enter")).count();
        LOG.info("whale snapshot: asset={} id={} slot={} block={} addresses={} entries={} exits={} rpc_calls={} rpc_requests={} ms={}", store.asset(), id,
                slot, block.number(), rows.size(), entries, changes.size() - entries, sent.calls(), sent.requests(), ms);
        return new SnapshotOutcome.Taken(new StoredSnapshot(id, s.asset(), slot, s.status(), null, s.blockNumber(), s.blockHash(), blockTime, takenAt,
                s.addressCount(), s.rpcCalls(), s.rpcRequests(), ms));
    }
}
