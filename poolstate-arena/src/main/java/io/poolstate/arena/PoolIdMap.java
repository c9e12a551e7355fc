package io.poolstate.arena;

import io.poolstate.dex.pool.PoolId;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A map from pool id to value laid out for lookups of ids the caller did not get from the map (decoded from the feed):
 * open addressing with linear probing over a power-of-two table kept at most half full, each slot's id held as its
 * four words ({@link PoolId#word}) in one array, 32 bytes a slot, beside an array of values. A lookup reads a line of
 * words and a line of values, which do not depend on each other, so the processor fetches both at once; a
 * {@link java.util.HashMap} reads its bucket, then the node, then the stored key, one after another. Addresses and V4
 * ids are kept in separate tables (their words alone do not say their length). Removal shifts the entries after the
 * removed one back (no tombstones). Null values are not allowed; iterators do not remove. The slot is chosen by the
 * id's first 16 bytes, as random as the rest for contract addresses and V4 ids (hash outputs); unlike {@code HashMap}
 * there is no fallback when many ids share a slot, so this is for ids the system lists itself (the whitelist), not
 * for ids anyone can choose. Measured as {@link LiveBook}'s map of served pools, blocks of 200 events at 10,000 pools:
 * 5-10 % less per block than a {@code HashMap} back to back; after a wait lower in two of three pairs
 * (docs/BENCHMARKS.md).
 *
 * <p>Not thread-safe: one owning thread (the arena's writer, for {@link LiveBook}).
 */
final class PoolIdMap<V> extends AbstractMap<PoolId, V> {
    private final Table addresses = new Table();
    private final Table v4Ids = new Table();
    private int modifications;
    /** {@link #getAll}'s home slots (scratch). */
    private int[] homes = new int[256];
    /** A sum of what {@link #getAll}'s read-ahead pass read: kept so that its reads are not optimised away. */
    private long readAhead;

    private Table table(PoolId id) {
        return id.isV4() ? v4Ids : addresses;
    }

    @Override
    public V get(Object key) {
        return key instanceof PoolId id ? cast(table(id).get(id)) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    /**
     * Looks {@code keys[0..n)} up into {@code out[0..n)} (null where absent, as {@link #get}), in passes over all the keys:
     * their home slots, then those slots' words and values read and nothing else, then the probes. The reads of one pass
     * do not depend on each other, so the processor overlaps the cache misses of different keys instead of taking them
     * one key after another (a block's pools, after the writer waited for the block).
     */
    void getAll(PoolId[] keys, int n, Object[] out) {
        if (homes.length < n) {
            homes = new int[Math.max(n, homes.length * 2)];
        }
        for (int i = 0; i < n; i++) {
            PoolId id = keys[i];
            homes[i] = table(id).home(id.word(0), id.word(1));
        }
        long k = 0;
        for (int i = 0; i < n; i++) {
            Table t = table(keys[i]);
            int h = homes[i];
            k += t.words[h << 2] + (t.values[h] == null ? 0 : 1);
        }
        readAhead += k;
        for (int i = 0; i < n; i++) {
            out[i] = table(keys[i]).get(keys[i], homes[i]);
        }
    }

    @Override
    public V put(PoolId key, V value) {
        if (value == null) {
            throw new NullPointerException("null values are not allowed: pool=" + key);
        }
        modifications++;
        return cast(table(key).put(key, value));
    }

    @Override
    public V remove(Object key) {
        if (!(key instanceof PoolId id)) {
            return null;
        }
        V old = cast(table(id).remove(id));
        if (old != null) {
            modifications++;
        }
        return old;
    }

    @Override
    public void clear() {
        modifications++;
        addresses.clear();
        v4Ids.clear();
    }

    @Override
    public int size() {
        return addresses.size + v4Ids.size;
    }

    @SuppressWarnings("unchecked")
    private static <V> V cast(Object o) {
        return (V) o;
    }

    @Override
    public Set<Entry<PoolId, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<PoolId, V>> iterator() {
                return new Iterator<>() {
                    private final int expected = modifications;
                    private Table t = addresses;
                    private int slot = -1;

                    @Override
                    public boolean hasNext() {
                        if (expected != modifications) {
                            throw new ConcurrentModificationException();
                        }
                        while (true) {
                            int s = t.nextOccupied(slot + 1);
                            if (s >= 0) {
                                slot = s - 1;
                                return true;
                            }
                            if (t == v4Ids) {
                                return false;
                            }
                            t = v4Ids;
                            slot = -1;
                        }
                    }

                    @Override
                    public Entry<PoolId, V> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        slot++;
                        return new SimpleImmutableEntry<>(t.ids[slot], cast(t.values[slot]));
                    }
                };
            }

            @Override
            public int size() {
                return PoolIdMap.this.size();
            }
        };
    }

    /** One table: ids of one length. */
    private static final class Table {
        private static final int MIN_CAPACITY = 16;
        /** Per slot its id's four words (slot {@code s} at {@code 4s}); meaningful where {@link #values} is not null. */
        private long[] words = new long[4 * MIN_CAPACITY];
        private Object[] values = new Object[MIN_CAPACITY];
        /** The ids themselves, for iteration (never read by a lookup). */
        private PoolId[] ids = new PoolId[MIN_CAPACITY];
        private int mask = MIN_CAPACITY - 1;
        private int size;

        private int home(long w0, long w1) {
            long h = (w0 ^ Long.rotateLeft(w1, 29)) * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }

        private boolean at(int s, long w0, long w1, long w2, long w3) {
            int i = s << 2;
            return words[i] == w0 && words[i + 1] == w1 && words[i + 2] == w2 && words[i + 3] == w3;
        }

        /** The slot holding {@code id}, or -1. */
        private int slotOf(PoolId id) {
            return slotOf(id, home(id.word(0), id.word(1)));
        }

        /** The slot holding {@code id}, whose home slot is {@code home}, or -1. */
        private int slotOf(PoolId id, int home) {
            long w0 = id.word(0);
            long w1 = id.word(1);
            long w2 = id.word(2);
            long w3 = id.word(3);
            for (int s = home; values[s] != null; s = (s + 1) & mask) {
                if (at(s, w0, w1, w2, w3)) {
                    return s;
                }
            }
            return -1;
        }

        Object get(PoolId id) {
            int s = slotOf(id);
            return s < 0 ? null : values[s];
        }

        /** {@link #get} with the home slot already computed. */
        Object get(PoolId id, int home) {
            int s = slotOf(id, home);
            return s < 0 ? null : values[s];
        }

        Object put(PoolId id, Object value) {
            long w0 = id.word(0);
            long w1 = id.word(1);
            long w2 = id.word(2);
            long w3 = id.word(3);
            int s = home(w0, w1);
            for (; values[s] != null; s = (s + 1) & mask) {
                if (at(s, w0, w1, w2, w3)) {
                    Object old = values[s];
                    values[s] = value;
                    return old;
                }
            }
            int i = s << 2;
            words[i] = w0;
            words[i + 1] = w1;
            words[i + 2] = w2;
            words[i + 3] = w3;
            values[s] = value;
            ids[s] = id;
            if (++size > (mask + 1) / 2) {
                grow();
            }
            return null;
        }

        Object remove(PoolId id) {
            int s = slotOf(id);
            if (s < 0) {
                return null;
            }
            Object old = values[s];
            shiftBack(s);
            size--;
            return old;
        }

        /** Empties slot {@code gap}, moving back every later entry of its run that may not sit past the gap (linear probing). */
        private void shiftBack(int gap) {
            for (int s = (gap + 1) & mask; values[s] != null; s = (s + 1) & mask) {
                int i = s << 2;
                int home = home(words[i], words[i + 1]);
                // the entry at s may move to the gap when its home is not cyclically within (gap, s]
                boolean movable = gap <= s ? home <= gap || home > s : home <= gap && home > s;
                if (movable) {
                    System.arraycopy(words, i, words, gap << 2, 4);
                    values[gap] = values[s];
                    ids[gap] = ids[s];
                    gap = s;
                }
            }
            values[gap] = null;
            ids[gap] = null;
        }

        private void grow() {
            long[] oldWords = words;
            Object[] oldValues = values;
            PoolId[] oldIds = ids;
            int capacity = (mask + 1) * 2;
            words = new long[4 * capacity];
            values = new Object[capacity];
            ids = new PoolId[capacity];
            mask = capacity - 1;
            size = 0;
            for (int s = 0; s < oldValues.length; s++) {
                if (oldValues[s] != null) {
                    put(oldIds[s], oldValues[s]);
                }
            }
        }

        int nextOccupied(int from) {
            for (int s = from; s < values.length; s++) {
                if (values[s] != null) {
                    return s;
                }
            }
            return -1;
        }

        void clear() {
            Arrays.fill(values, null);
            Arrays.fill(ids, null);
            size = 0;
        }
    }
}
