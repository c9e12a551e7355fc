package io.poolstate.arena;

import io.poolstate.dex.pool.PoolId;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map from pool to value that a new version shares with the old one except where it changed: the
 * pools are spread over {@value #SHARDS} shards by id hash, each shard a small immutable array of keys and values
 * (none for an empty shard), and {@link #with} copies the shard index and only the shards holding a changed pool.
 * Publishing a block's view therefore costs what the block changed plus one copy of the index (8,192 references,
 * 32 KiB), not a copy of every pool; a shard holds about one pool at 10,000 pools, so a lookup compares one or two keys. Readers use it as an ordinary read-only {@link Map}; {@link #forEachDifference}
 * finds what changed between two versions by visiting only the shards they do not share.
 *
 * <p>Immutable; safe to share between threads.
 */
final class PoolTable<V> extends AbstractMap<PoolId, V> {
    static final int SHARDS = 8192;
    private static final PoolTable<?> EMPTY = new PoolTable<>(new Object[SHARDS][], 0, 0);

    /** Per shard: null (empty) or {@code [key0, value0, key1, value1, ...]}, never changed once published. */
    private final Object[][] shards;
    private final int size;
    /** The sum {@link Builder#readAhead} read while this version was built: kept so that its reads are not optimised away. */
    private final int readAhead;

    private PoolTable(Object[][] shards, int size, int readAhead) {
        this.shards = shards;
        this.size = size;
        this.readAhead = readAhead;
    }

    @SuppressWarnings("unchecked")
    static <V> PoolTable<V> empty() {
        return (PoolTable<V>) EMPTY;
    }

    /** A table of everything in {@code m}. */
    static <V> PoolTable<V> of(Map<PoolId, V> m) {
        return PoolTable.<V>empty().with(m, Set.of());
    }

    private static int shard(PoolId id) {
        int h = id.hashCode();
        return (h ^ (h >>> 16)) & (SHARDS - 1);
    }

    /** A new version: {@code put} entries set (or replaced), then {@code remove} ids dropped; untouched shards shared. */
    PoolTable<V> with(Map<PoolId, V> put, Collection<PoolId> remove) {
        if (put.isEmpty() && remove.isEmpty()) {
            return this;
        }
        Builder b = new Builder();
        put.forEach(b::put);
        remove.forEach(b::remove);
        return b.build();
    }

    /** A new version: {@code keys.get(i)} set to {@code values.get(i)} in order, then {@code remove} ids dropped. */
    PoolTable<V> with(List<PoolId> keys, List<? extends V> values, Collection<PoolId> remove) {
        if (keys.isEmpty() && remove.isEmpty()) {
            return this;
        }
        Builder b = new Builder();
        int[] at = b.readAhead(keys);
        for (int i = 0; i < keys.size(); i++) {
            b.put(at[i], keys.get(i), values.get(i));
        }
        remove.forEach(b::remove);
        return b.build();
    }

    /** The next version, built shard by shard: a shard is copied before its first change and changed in place after. */
    private final class Builder {
        private final Object[][] next = shards.clone();
        /** Shards already copied into this version (a bit per shard). */
        private final long[] own = new long[SHARDS / 64];
        private int n = size;
        private int readAhead;

        /**
         * The shards {@code keys} fall in, each read before any is changed, in loops of nothing else: the reads do not
         * depend on each other, so the processor overlaps their cache misses instead of taking them one put at a time.
         */
        int[] readAhead(List<PoolId> keys) {
            int[] at = new int[keys.size()];
            for (int i = 0; i < at.length; i++) {
                at[i] = shard(keys.get(i));
            }
            int k = 0;
            for (int s : at) {
                Object[] bucket = next[s];
                k += bucket == null ? 0 : bucket.length;
            }
            readAhead = k;
            return at;
        }

        void put(PoolId id, V value) {
            put(shard(id), id, value);
        }

        /**
         * Sets {@code id} (of shard {@code s}) to {@code value}. A key is first looked for as the same object (the arena
         * publishes the ids it holds, the same objects every block), which reads none of the shard's other keys.
         */
        void put(int s, PoolId id, V value) {
            Object[] bucket = next[s];
            if (bucket != null) {
                for (int i = 0; i < bucket.length; i += 2) {
                    if (bucket[i] == id) {
                        writable(s)[i + 1] = value;
                        return;
                    }
                }
                for (int i = 0; i < bucket.length; i += 2) {
                    if (bucket[i].equals(id)) {
                        writable(s)[i + 1] = value;
                        return;
                    }
                }
            }
            int len = bucket == null ? 0 : bucket.length;
            Object[] grown = new Object[len + 2];
            if (len > 0) {
                System.arraycopy(bucket, 0, grown, 0, len);
            }
            grown[len] = id;
            grown[len + 1] = value;
            next[s] = grown;
            own[s >>> 6] |= 1L << s;
            n++;
        }

        void remove(PoolId id) {
            int s = shard(id);
            Object[] bucket = next[s];
            if (bucket == null) {
                return;
            }
            for (int i = 0; i < bucket.length; i += 2) {
                if (bucket[i].equals(id)) {
                    if (bucket.length == 2) {
                        next[s] = null;
                    } else {
                        Object[] shrunk = new Object[bucket.length - 2];
                        System.arraycopy(bucket, 0, shrunk, 0, i);
                        System.arraycopy(bucket, i + 2, shrunk, i, bucket.length - i - 2);
                        next[s] = shrunk;
                    }
                    own[s >>> 6] |= 1L << s;
                    n--;
                    return;
                }
            }
        }

        private Object[] writable(int s) {
            if ((own[s >>> 6] & (1L << s)) == 0) {
                next[s] = next[s].clone();
                own[s >>> 6] |= 1L << s;
            }
            return next[s];
        }

        PoolTable<V> build() {
            return new PoolTable<>(next, n, readAhead);
        }
    }

    /** One difference between two versions: {@code after} null when the key left. */
    @FunctionalInterface
    interface Difference<V> {
        void accept(PoolId key, V before, V after);
    }

    /**
     * Calls {@code d} with (key, value in {@code before} or null, value in {@code after}) for every key of {@code after}
     * whose value is not the same object as in {@code before}, and with (key, value, null) for every key of {@code before}
     * that {@code after} does not hold; visits only the shards the two versions do not share, in shard order.
     */
    static <V> void forEachDifference(PoolTable<V> before, PoolTable<V> after, Difference<V> d) {
        for (int s = 0; s < SHARDS; s++) {
            Object[] a = before.shards[s];
            Object[] b = after.shards[s];
            if (a == b) {
                continue;
            }
            if (b != null) {
                for (int i = 0; i < b.length; i += 2) {
                    Object old = find(a, b[i]);
                    if (old != b[i + 1]) {
                        d.accept((PoolId) b[i], cast(old), cast(b[i + 1]));
                    }
                }
            }
            if (a != null) {
                for (int i = 0; i < a.length; i += 2) {
                    if (find(b, a[i]) == null) {
                        d.accept((PoolId) a[i], cast(a[i + 1]), null);
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <V> V cast(Object o) {
        return (V) o;
    }

    private static Object find(Object[] bucket, Object key) {
        if (bucket != null) {
            for (int i = 0; i < bucket.length; i += 2) {
                if (bucket[i].equals(key)) {
                    return bucket[i + 1];
                }
            }
        }
        return null;
    }

    @Override
    public V get(Object key) {
        return key instanceof PoolId id ? cast(find(shards[shard(id)], id)) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
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
                    private Object[] bucket;
                    private int i;

                    @Override
                    public boolean hasNext() {
                        while ((bucket == null || i >= bucket.length) && s + 1 < SHARDS) {
                            bucket = shards[++s];
                            i = 0;
                        }
                        return bucket != null && i < bucket.length;
                    }

                    @Override
                    public Entry<PoolId, V> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        Entry<PoolId, V> e = new SimpleImmutableEntry<>((PoolId) bucket[i], cast(bucket[i + 1]));
                        i += 2;
                        return e;
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
