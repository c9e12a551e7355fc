package io.poolstate.whitelist;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Token;
import io.poolstate.eth.Address;
import io.poolstate.eth.rpc.EthClient;

import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.whitelist.discovery.PoolIndexer;
import io.poolstate.dex.v4.HookPermission;
import io.poolstate.whitelist.filter.HookFilter;
import io.poolstate.whitelist.filter.LiquidityFilter;
import io.poolstate.whitelist.filter.TokenMetadata;
import io.poolstate.whitelist.publish.WhitelistPublisher;
import io.poolstate.whitelist.publish.SnapshotPublisher;
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
 * keep the candidates (both tokens whitelisted, or one plus a base token) whose metadata consumers can use
 * ({@link PoolDescriptor#problem()}) and that pass the hook filter (by default every pool) and the liquidity
 * filter; then {@link SnapshotPublisher} publishes the difference from the last published snapshot (or a full list
 * when one is due), each snapshot stored as pending, published, then marked published.
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

    /** What a run did; {@code sent[i]} is what {@code published[i]} took on the wire. */
    public record Report(boolean ran, int tokens, int candidates, int kept, int added, int removed, List<WhitelistMessage> published,
                         List<WhitelistPublisher.Sent> sent, Map<String, Long> stageMillis) {
    }

    private final EthClient eth;
    private final List<TokenSource> sources;
    private final PoolIndexer indexer;
    private final LiquidityFilter filter;
    private final WhitelistStore store;
    private final WhitelistPublisher publisher;
    private final SnapshotPublisher snapshots;
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
        this.snapshots = new SnapshotPublisher(store, publisher, metrics);
        this.config = config;
        this.metrics = metrics;
    }

    /** The NATS publisher this run publishes through. */
    public WhitelistPublisher publisher() {
        return publisher;
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
        snapshots.finishPending();
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
        Map<PoolId, String> unusable = new LinkedHashMap<>();
        List<PoolDescriptor> pools = candidates.stream().map(f -> new PoolDescriptor(PoolId.parse(f.id()), f.protocol(), meta.get(f.token0()),
                meta.get(f.token1()), f.factory(), f.fee(), f.tickSpacing(), f.hooks())).filter(p -> usable(p, unusable)).toList();
        if (!unusable.isEmpty()) {
            var first = unusable.entrySet().iterator().next();
            LOG.warn("left out {} pools whose metadata no consumer would take, e.g. pool={} reason={}", unusable.size(), first.getKey(), first.getValue());
        }
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
        Map<PoolId, String> dropped = new LinkedHashMap<>(unusable);
        dropped.putAll(hooks.dropped());
        dropped.putAll(liquidity.dropped());
        LiquidityFilter.Result r = new LiquidityFilter.Result(kept, dropped, liquidity.usdPrices());
        stages.put("filter", millis(t));
        metrics.poolsKept.increment(r.kept().size());
        metrics.poolsDropped.increment(r.dropped().size());

        t = System.nanoTime();
        Map<PoolId, PoolDescriptor> next = new LinkedHashMap<>();
        pools.stream().filter(p -> r.kept().containsKey(p.id())).forEach(p -> next.put(p.id(), p));
        List<SnapshotPublisher.Published> published = snapshots.publish(next, r.kept(), r.dropped());
        int added = published.stream().mapToInt(SnapshotPublisher.Published::added).sum();
        int removed = published.stream().mapToInt(SnapshotPublisher.Published::removed).sum();
        if (config.retention() != null) {
            int deleted = store.deleteOlderThan(Instant.now().minus(config.retention()));
            if (deleted > 0) {
                LOG.info("retention: deleted {} snapshots older than {}", deleted, config.retention());
            }
        }
        stages.put("publish", millis(t));
        stages.forEach(metrics::stage);
        LOG.info("whitelist run: tokens={} candidates={} kept={} added={} removed={} published={} seconds={} chain={}", tokens.size(), pools.size(),
                next.size(), added, removed, published.size(), millis(started) / 1000.0, config.chain());
        return new Report(true, tokens.size(), pools.size(), next.size(), added, removed, published.stream().map(SnapshotPublisher.Published::message).toList(),
                published.stream().map(SnapshotPublisher.Published::sent).toList(), stages);
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

    /** False (with the reason recorded) for metadata no consumer would take: tokens out of order, a V4 PoolId that is not its key's hash, ... */
    private static boolean usable(PoolDescriptor p, Map<PoolId, String> unusable) {
        String problem = p.problem();
        if (problem != null) {
            unusable.put(p.id(), "metadata refused: " + problem);
        }
        return problem == null;
    }

    private static long millis(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
