package io.poolstate.arena;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoolTableTest {
    private static PoolId pool(int i) {
        return PoolId.of(Address.of(String.format("0x%040x", i + 1)));
    }

    @Test
    void equalsAPlainMapThroughRandomVersions() {
        long seed = Long.getLong("poolstate.seed", 5L);
        System.out.println("pool table seed=" + seed);
        SplittableRandom r = new SplittableRandom(seed);
        Map<PoolId, Integer> expected = new HashMap<>();
        PoolTable<Integer> table = PoolTable.empty();
        List<PoolTable<Integer>> versions = new ArrayList<>();
        List<Map<PoolId, Integer>> copies = new ArrayList<>();
        for (int round = 0; round < 300; round++) {
            Map<PoolId, Integer> put = new HashMap<>();
            List<PoolId> remove = new ArrayList<>();
            for (int i = 0; i < r.nextInt(1, 60); i++) {
                PoolId id = pool(r.nextInt(5000));
                if (r.nextInt(4) == 0) {
                    remove.add(id);
                    put.remove(id);
                } else {
                    put.put(id, r.nextInt());
                    remove.remove(id);
                }
            }
            remove.forEach(expected::remove);
            expected.putAll(put);
            table = table.with(put, remove);
            assertThat(table).as("seed %d round %d", seed, round).isEqualTo(expected);
            assertThat(table.size()).isEqualTo(expected.size());
            versions.add(table);
            copies.add(Map.copyOf(expected));
        }
        for (int i = 0; i < versions.size(); i++) {
            assertThat(versions.get(i)).as("an older version never changes (seed %d)", seed).isEqualTo(copies.get(i));
        }
    }

    /**
     * The list form the view publisher uses: keys set in order (a repeated key ends with its last value), then removals;
     * keys given as the very objects the table holds and as equal copies, in shards of one key and of several.
     */
    @Test
    void listVersionsEqualAPlainMapWithSameAndEqualKeys() {
        long seed = Long.getLong("poolstate.seed", 9L);
        System.out.println("pool table list seed=" + seed);
        SplittableRandom r = new SplittableRandom(seed);
        PoolId[] held = new PoolId[20_000]; // more ids than shards: many shards hold several
        for (int i = 0; i < held.length; i++) {
            held[i] = pool(i);
        }
        Map<PoolId, Integer> expected = new HashMap<>();
        PoolTable<Integer> table = PoolTable.empty();
        for (int round = 0; round < 200; round++) {
            List<PoolId> keys = new ArrayList<>();
            List<Integer> values = new ArrayList<>();
            List<PoolId> remove = new ArrayList<>();
            for (int i = 0; i < r.nextInt(1, 400); i++) {
                int k = r.nextInt(round < 20 ? held.length : 2_000); // the first rounds fill, the later ones change and repeat
                PoolId id = r.nextBoolean() ? held[k] : pool(k);
                if (r.nextInt(8) == 0) {
                    remove.add(id);
                } else {
                    keys.add(id);
                    values.add(r.nextInt());
                }
            }
            for (int i = 0; i < keys.size(); i++) {
                expected.put(keys.get(i), values.get(i));
            }
            remove.forEach(expected::remove);
            table = table.with(keys, values, remove);
            assertThat(table).as("seed %d round %d", seed, round).isEqualTo(expected);
            assertThat(table.size()).as("seed %d round %d", seed, round).isEqualTo(expected.size());
        }
    }

    @Test
    void differencesBetweenVersionsAreWhatAPlainMapComparisonFinds() {
        long seed = Long.getLong("poolstate.seed", 7L);
        System.out.println("pool table differences seed=" + seed);
        SplittableRandom r = new SplittableRandom(seed);
        PoolTable<Object> table = PoolTable.empty();
        for (int round = 0; round < 200; round++) {
            Map<PoolId, Object> put = new HashMap<>();
            List<PoolId> remove = new ArrayList<>();
            for (int i = 0; i < r.nextInt(1, 80); i++) {
                PoolId id = pool(r.nextInt(20_000));
                if (r.nextInt(3) == 0) {
                    remove.add(id);
                    put.remove(id);
                } else {
                    put.put(id, r.nextInt(4) == 0 && table.containsKey(id) ? table.get(id) : new Object()); // sometimes the same value
                    remove.remove(id);
                }
            }
            PoolTable<Object> prev = table;
            PoolTable<Object> next = prev.with(put, remove);
            Map<PoolId, List<Object>> expected = new HashMap<>();
            next.forEach((id, v) -> {
                if (prev.get(id) != v) {
                    expected.put(id, java.util.Arrays.asList(prev.get(id), v));
                }
            });
            prev.forEach((id, v) -> {
                if (!next.containsKey(id)) {
                    expected.put(id, java.util.Arrays.asList(v, null));
                }
            });
            Map<PoolId, List<Object>> found = new HashMap<>();
            PoolTable.forEachDifference(prev, next, (id, before, after) -> {
                assertThat(found.put(id, java.util.Arrays.asList(before, after))).as("each pool once (seed %d)", seed).isNull();
            });
            assertThat(found).as("seed %d round %d", seed, round).isEqualTo(expected);
            table = next;
        }
    }

    @Test
    void aVersionWithNothingChangedIsTheSameTable() {
        PoolTable<Integer> t = PoolTable.of(Map.of(pool(1), 1, pool(2), 2));
        assertThat(t.with(Map.of(), List.of())).isSameAs(t);
        assertThat(t.get(pool(1))).isEqualTo(1);
        assertThat(t.containsKey(pool(3))).isFalse();
        assertThat(t.with(Map.of(), List.of(pool(3)))).isEqualTo(t);
    }
}
