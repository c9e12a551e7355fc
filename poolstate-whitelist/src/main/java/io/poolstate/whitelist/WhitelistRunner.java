package io.poolstate.whitelist;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Token;
import io.poolstate.eth.Address;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.whitelist.discovery.PoolIndexer;
import io.poolstate.dex.v4.HookPermission;
import io.poolstate.whitelist.filter.HookFilter;
import io.poolstate.whitelist.filter.LiquidityFilter;
import io.poolstate.whitelist.filter.TokenMetadata;
import io.poolstate.whitelist.publish.WhitelistPublisher;
import io.poolstate.whitelist.store.WhitelistStore;
import io.poolstate.whitelist.token.TokenCandidate;
import io.poolstate.whitelist.token.TokenSource;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One whitelist run, under the chain's cross-process lock: finish a snapshot left pending by a crash; collect
 * tokens from every source (a failing source is skipped with a warning); index new pools from factory events;
 * keep the candidates (both tokens whitelisted, or one plus a base token) that pass the hook filter (by default every
 * pool) and the liquidity filter; compare with the last published snapshot and publish only the difference (a full
 * list the first time), each change stored as pending, published, then marked published.
 */
public final class WhitelistRunner {
    private static final Logger LOG = LoggerFactory.getLogger(WhitelistRunner.class);

    /**
     * What the run needs besides its collaborators. {@code excludedHookPermissions}: V4 pools whose hook has any of these
     * are dropped before the liquidity filter (empty: keep every pool).
     */
    public record Config(String chain, Map<Address, BigDecimal> stables, Set<Address> baseTokens, Duration retention,
                         Set<HookPermission> excludedHookPermissions) {
        public Config {
            excludedHookPermissions = Set.copyOf(excludedHookPermissions);
        }

        /** Keeps pools whatever their hooks. */
        public Config(String chain, Map<Address, BigDecimal> stables, Set<Address> baseTokens, Duration retention) {
            this(chain, stables, baseTokens, retention, Set.of());
        }
    }

    /** What a run did. */
    public record Report(boolean ran, int tokens, int candidates, int kept, int added, int removed, List<WhitelistMessage> published,
                         List<int[]> messageBytes, Map<String, Long> stageMillis) {
    }

    private final EthClient eth;
    private final List<TokenSource> sources;
    private final PoolIndexer indexer;
    private final LiquidityFilter filter;
    private final WhitelistStore store;
    private final WhitelistPublisher publisher;
    private final Config config;
    private final WhitelistMetrics metrics;

    public WhitelistRunner(EthClient eth, List<TokenSource> sources, PoolIndexer indexer, LiquidityFilter filter, WhitelistStore store,
                           WhitelistPublisher publisher, Config config, WhitelistMetrics metrics) {
        this.eth = eth;
        this.sources = List.copyOf(sources);
        this.indexer = indexer;
        this.filter = filter;
        this.store = store;
        this.publisher = publisher;
        this.config = config;
        this.metrics = metrics;
    }

    /** Runs once; returns a report with {@code ran = false} when another process holds the lock. */
    public Report runOnce() throws Exception {
        Report[] out = {null};
        boolean ran;
        try {
            ran = store.withRunLock(() -> out[0] = run());
        } catch (Exception e) {
            metrics.runFailures.increment();
            throw e;
        }
        if (!ran) {
            LOG.info("whitelist run skipped: another run holds the lock for chain {}", config.chain());
            return new Report(false, 0, 0, 0, 0, 0, List.of(), List.of(), Map.of());
        }
        metrics.runSucceeded(out[0].kept());
        return out[0];
    }

    /** Publishes a snapshot stored as pending by a run that crashed before marking it published. */
    public void finishPending() throws Exception {
        WhitelistStore.Snapshot last = store.latest();
        if (last == null || !"pending".equals(last.status())) {
            return;
        }
        WhitelistMessage m = rebuild(last);
        publisher.publish(m);
        store.markPublished(last.snapshotId());
        LOG.info("finished pending snapshot {} ({})", last.snapshotId(), last.updateType());
    }

    private Report run() throws Exception {
        long started = System.nanoTime();
        Map<String, Long> stages = new LinkedHashMap<>();
        publisher.ensureStream();
        finishPending();
        Map<Address, String> tokens = tokens();
        stages.put("tokens", millis(started));

        long t = System.nanoTime();
        int discovered = indexer.index();
        metrics.poolsDiscovered.increment(discovered);
        long block = eth.blockNumber();
        List<PoolIndexer.Found> candidates = new ArrayList<>();
        for (PoolIndexer.Found f : indexer.all()) {
            boolean in0 = tokens.containsKey(f.token0());
            boolean in1 = tokens.containsKey(f.token1());
            if ((in0 && in1) || (in0 && config.baseTokens().contains(f.token1())) || (in1 && config.baseTokens().contains(f.token0()))) {
                candidates.add(f);
            }
        }
        Set<Address> addresses = new HashSet<>();
        candidates.forEach(f -> {
            addresses.add(f.token0());
            addresses.add(f.token1());
        });
        Map<Address, Token> meta = TokenMetadata.read(eth, addresses);
        List<PoolDescriptor> pools = candidates.stream().map(f -> new PoolDescriptor(PoolId.parse(f.id()), f.protocol(), meta.get(f.token0()),
                meta.get(f.token1()), f.factory(), f.fee(), f.tickSpacing(), f.hooks())).toList();
        stages.put("discovery", millis(t));

        t = System.nanoTime();
        HookFilter.Result hooks = new HookFilter(config.excludedHookPermissions()).apply(pools);
        LiquidityFilter.Result liquidity = filter.filter(hooks.kept(), config.stables(), block);
        Map<PoolId, String> kept = new LinkedHashMap<>(liquidity.kept());
        pools.forEach(p -> {
            String hook = HookFilter.describe(p);
            if (hook != null && kept.containsKey(p.id())) {
                kept.put(p.id(), kept.get(p.id()) + "; " + hook);
            }
        });
        Map<PoolId, String> dropped = new LinkedHashMap<>(hooks.dropped());
        dropped.putAll(liquidity.dropped());
        LiquidityFilter.Result r = new LiquidityFilter.Result(kept, dropped, liquidity.usdPrices());
        stages.put("filter", millis(t));
        metrics.poolsKept.increment(r.kept().size());
        metrics.poolsDropped.increment(r.dropped().size());

        t = System.nanoTime();
        Map<PoolId, PoolDescriptor> next = new LinkedHashMap<>();
        pools.stream().filter(p -> r.kept().containsKey(p.id())).forEach(p -> next.put(p.id(), p));
        List<WhitelistMessage> published = new ArrayList<>();
        List<int[]> sizes = new ArrayList<>();
        WhitelistStore.Snapshot prev = store.latestPublished();
        Map<PoolId, String> added = new LinkedHashMap<>();
        Map<PoolId, String> removed = new LinkedHashMap<>();
        if (prev == null) {
            next.keySet().forEach(id -> added.put(id, r.kept().get(id)));
            long id = newId(null);
            store.storePending(id, null, "full", next, r.kept(), added, Map.of());
            WhitelistMessage m = new WhitelistMessage(UpdateType.FULL, config.chain(), id, null, Instant.now(), List.copyOf(next.values()),
                    List.copyOf(next.keySet()));
            sizes.add(publisher.publish(m));
            store.markPublished(id);
            published.add(m);
            metrics.updates("full");
        } else {
            next.keySet().stream().filter(id -> !prev.pools().containsKey(id)).forEach(id -> added.put(id, r.kept().get(id)));
            prev.pools().keySet().stream().filter(id -> !next.containsKey(id))
                    .forEach(id -> removed.put(id, r.dropped().getOrDefault(id, "no longer a candidate (its tokens left the token sources)")));
            Map<PoolId, PoolDescriptor> state = new LinkedHashMap<>(prev.pools());
            Map<PoolId, String> reasons = new LinkedHashMap<>(prev.reasons());
            long last = prev.snapshotId();
            if (!added.isEmpty()) {
                added.keySet().forEach(id -> {
                    state.put(id, next.get(id));
                    reasons.put(id, added.get(id));
                });
                long id = newId(last);
                store.storePending(id, last, "add", state, reasons, added, Map.of());
                WhitelistMessage m = new WhitelistMessage(UpdateType.ADD, config.chain(), id, last, Instant.now(),
                        added.keySet().stream().map(next::get).toList(), List.copyOf(added.keySet()));
                sizes.add(publisher.publish(m));
                store.markPublished(id);
                published.add(m);
                metrics.updates("add");
                last = id;
            }
            if (!removed.isEmpty()) {
                removed.keySet().forEach(state::remove);
                removed.keySet().forEach(reasons::remove);
                long id = newId(last);
                store.storePending(id, last, "remove", state, reasons, Map.of(), removed);
                WhitelistMessage m = new WhitelistMessage(UpdateType.REMOVE, config.chain(), id, last, Instant.now(), List.of(),
                        List.copyOf(removed.keySet()));
                sizes.add(publisher.publish(m));
                store.markPublished(id);
                published.add(m);
                metrics.updates("remove");
            }
        }
        sizes.forEach(s -> metrics.messageBytes(s[0], s[1]));
        if (config.retention() != null) {
            int deleted = store.deleteOlderThan(Instant.now().minus(config.retention()));
            if (deleted > 0) {
                LOG.info("retention: deleted {} snapshots older than {}", deleted, config.retention());
            }
        }
        stages.put("publish", millis(t));
        stages.forEach(metrics::stage);
        LOG.info("whitelist run: tokens={} candidates={} kept={} added={} removed={} published={} seconds={}", tokens.size(), pools.size(),
                next.size(), added.size(), removed.size(), published.size(), millis(started) / 1000.0);
        return new Report(true, tokens.size(), pools.size(), next.size(), added.size(), removed.size(), published, sizes, stages);
    }

    private Map<Address, String> tokens() {
        Map<Address, String> tokens = new LinkedHashMap<>();
        config.baseTokens().forEach(a -> tokens.put(a, "base token"));
        for (TokenSource s : sources) {
            try {
                List<TokenCandidate> found = s.tokens();
                found.forEach(c -> tokens.putIfAbsent(c.address(), c.reason()));
                metrics.tokens(s.name(), found.size());
                s.skipped().forEach(why -> LOG.warn("token source {} skipped an entry: {}", s.name(), why));
                metrics.sourceSkips(s.name(), s.skipped().size());
            } catch (Exception e) {
                metrics.sourceFailures(s.name());
                LOG.warn("token source {} failed, skipped this run: {}", s.name(), e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        return tokens;
    }

    private WhitelistMessage rebuild(WhitelistStore.Snapshot s) throws Exception {
        Map<PoolId, String[]> changes = store.changes(s.snapshotId());
        return switch (s.updateType()) {
            case "full" -> new WhitelistMessage(UpdateType.FULL, config.chain(), s.snapshotId(), null, s.createdAt(), List.copyOf(s.pools().values()),
                    List.copyOf(s.pools().keySet()));
            case "add" -> {
                List<PoolId> ids = changes.keySet().stream().toList();
                yield new WhitelistMessage(UpdateType.ADD, config.chain(), s.snapshotId(), s.prevSnapshotId(), s.createdAt(),
                        ids.stream().map(id -> s.pools().get(id)).toList(), ids);
            }
            default -> new WhitelistMessage(UpdateType.REMOVE, config.chain(), s.snapshotId(), s.prevSnapshotId(), s.createdAt(), List.of(),
                    changes.keySet().stream().toList());
        };
    }

    private static long newId(Long prev) {
        long now = System.currentTimeMillis();
        return prev == null ? now : Math.max(now, prev + 1);
    }

    private static long millis(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
