package io.poolstate.arena;

import io.poolstate.dex.pool.PoolId;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map from pool to value that a new version shares with the old one except where it changed: the
 * pools are spread over {@value #SHARDS} shards by id hash, and {@link #with} copies only the shards holding a
 * changed pool (plus the shard index). Publishing a block's view therefore costs what the block changed, not how
 * many pools exist. Readers use it as an ordinary read-only {@link Map}. With {@value #SHARDS} shards a shard holds
 * less than one pool at 10,000 pools, so a block of 200 changes copies about 200 small shards and the shard index
 * (64 KiB): about 125 µs of CPU at 10,000 pools on this machine under load, against 400 µs with 1,024 shards (about
 * ten pools each).
 *
 * <p>Immutable; safe to share between threads.
 */
final class PoolTable<V> extends AbstractMap<PoolId, V> {
    static final int SHARDS = 16384;
    private static final PoolTable<?> EMPTY = new PoolTable<>(emptyShards(), 0);

    private final Map<PoolId, V>[] shards;
    private final int size;

    private PoolTable(Map<PoolId, V>[] shards, int size) {
        this.shards = shards;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <V> PoolTable<V> empty() {
        return (PoolTable<V>) EMPTY;
    }

    /** A table of everything in {@code m}. */
    static <V> PoolTable<V> of(Map<PoolId, V> m) {
        return PoolTable.<V>empty().with(m, Set.of());
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<PoolId, V>[] emptyShards() {
        Map<PoolId, V>[] s = new Map[SHARDS];
        Arrays.fill(s, Map.of());
        return s;
    }

    private static int shard(PoolId id) {
        int h = id.hashCode();
        return (h ^ (h >>> 16)) & (SHARDS - 1);
    }

    /** A new version: {@code put} entries set (or replaced), {@code remove} ids dropped; untouched shards shared. */
    PoolTable<V> with(Map<PoolId, V> put, Collection<PoolId> remove) {
        if (put.isEmpty() && remove.isEmpty()) {
            return this;
        }
        Map<PoolId, V>[] next = shards.clone();
        Map<Integer, Map<PoolId, V>> open = new HashMap<>();
        put.forEach((id, v) -> open.computeIfAbsent(shard(id), s -> new HashMap<>(shards[s])).put(id, v));
        remove.forEach(id -> {
            int s = shard(id);
            if (shards[s].containsKey(id) || open.containsKey(s)) {
                open.computeIfAbsent(s, k -> new HashMap<>(shards[k])).remove(id);
            }
        });
        int n = size;
        for (Map.Entry<Integer, Map<PoolId, V>> e : open.entrySet()) {
            int s = e.getKey();
            n += e.getValue().size() - shards[s].size();
            next[s] = Map.copyOf(e.getValue());
        }
        return new PoolTable<>(next, n);
    }

    @Override
    public V get(Object key) {
        return key instanceof PoolId id ? shards[shard(id)].get(id) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof PoolId id && shards[shard(id)].containsKey(id);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<PoolId, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<PoolId, V>> iterator() {
                return new Iterator<>() {
                    private int s = -1;
                    private Iterator<Entry<PoolId, V>> in = java.util.Collections.emptyIterator();

                    @Override
                    public boolean hasNext() {
                        while (!in.hasNext() && s + 1 < SHARDS) {
                            in = shards[++s].entrySet().iterator();
                        }
                        return in.hasNext();
                    }

                    @Override
                    public Entry<PoolId, V> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        return in.next();
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
