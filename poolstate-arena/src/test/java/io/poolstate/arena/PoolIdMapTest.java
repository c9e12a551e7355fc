package io.poolstate.arena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoolIdMapTest {
    /**
     * Ids that collide on purpose: groups share their first 16 bytes (the words the slot is chosen by), so each group
     * sits in one probe run; V4 ids include an address's bytes followed by zeros (equal words, another length).
     */
    private static List<PoolId> universe(SplittableRandom r) {
        List<PoolId> ids = new ArrayList<>();
        for (int g = 0; g < 40; g++) {
            byte[] prefix = new byte[16];
            r.nextBytes(prefix);
            for (int k = 0; k < 12; k++) {
                byte[] address = new byte[20];
                System.arraycopy(prefix, 0, address, 0, 16);
                address[16 + k % 4] = (byte) (k + 1);
                ids.add(PoolId.of(Address.wrap(address)));
                byte[] v4 = new byte[32];
                System.arraycopy(address, 0, v4, 0, 20);
                if (k % 3 != 0) {
                    v4[20 + k] = (byte) k; // k % 3 == 0: the address's bytes and zeros
                }
                ids.add(PoolId.of(Bytes32.wrap(v4)));
            }
        }
        for (int g = 0; g < 10; g++) { // V4 ids that differ only in their last word
            byte[] v4 = new byte[32];
            r.nextBytes(v4);
            for (int k = 0; k < 4; k++) {
                v4[31] = (byte) k;
                ids.add(PoolId.of(Bytes32.wrap(v4.clone())));
            }
        }
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[i % 2 == 0 ? 20 : 32];
            r.nextBytes(b);
            ids.add(b.length == 20 ? PoolId.of(Address.wrap(b)) : PoolId.of(Bytes32.wrap(b)));
        }
        return ids;
    }

    /** An id equal to {@code id} but not the same object (as an id decoded from the feed is). */
    private static PoolId copy(PoolId id) {
        return PoolId.parse(id.toString());
    }

    @Test
    void equalsAHashMapThroughRandomPutsAndRemovals() {
        long seed = Long.getLong("poolstate.seed", 11L);
        System.out.println("pool id map seed=" + seed);
        SplittableRandom r = new SplittableRandom(seed);
        List<PoolId> ids = universe(r);
        Map<PoolId, Integer> expected = new HashMap<>();
        PoolIdMap<Integer> map = new PoolIdMap<>();
        for (int op = 0; op < 40_000; op++) {
            PoolId id = ids.get(r.nextInt(ids.size()));
            PoolId key = r.nextBoolean() ? id : copy(id);
            // phases that fill the map, then drain it, then churn: the tables grow and runs are broken up by removals
            int phase = op / 5_000 % 4;
            boolean remove = phase == 1 ? r.nextInt(4) != 0 : phase == 3 && r.nextBoolean();
            if (remove) {
                assertThat(map.remove(key)).as("remove %s, seed %d op %d", id, seed, op).isEqualTo(expected.remove(id));
            } else {
                int v = r.nextInt();
                assertThat(map.put(key, v)).as("put %s, seed %d op %d", id, seed, op).isEqualTo(expected.put(id, v));
            }
            assertThat(map.size()).as("seed %d op %d", seed, op).isEqualTo(expected.size());
            if (op % 97 == 0) {
                for (PoolId each : ids) {
                    assertThat(map.get(copy(each))).as("get %s, seed %d op %d", each, seed, op).isEqualTo(expected.get(each));
                }
                assertThat(map).as("iteration, seed %d op %d", seed, op).isEqualTo(expected);
                assertThat(new HashMap<>(map)).isEqualTo(expected);
                // a block's lookups at once: any number of keys, present or not, repeated, either length
                int n = r.nextInt(300);
                PoolId[] keys = new PoolId[n + 2];
                Object[] out = new Object[n + 2];
                for (int i = 0; i < n; i++) {
                    keys[i] = copy(ids.get(r.nextInt(ids.size())));
                }
                out[n] = "untouched";
                map.getAll(keys, n, out);
                for (int i = 0; i < n; i++) {
                    assertThat(out[i]).as("getAll %s, seed %d op %d key %d", keys[i], seed, op, i).isEqualTo(expected.get(keys[i]));
                }
                assertThat(out[n]).as("past n").isEqualTo("untouched");
            }
        }
    }

    /**
     * Small maps (at most 8 ids of each length: the tables stay at 16 slots) of colliding ids, new ones every few hundred
     * operations: runs often wrap around the table's end, and removals inside them shift entries back across it.
     */
    @Test
    void equalsAHashMapInSmallTablesWhereRunsWrapAround() {
        long seed = Long.getLong("poolstate.seed", 13L);
        System.out.println("pool id map small tables seed=" + seed);
        SplittableRandom r = new SplittableRandom(seed);
        for (int map = 0; map < 200; map++) {
            List<PoolId> ids = new ArrayList<>();
            for (int g = 0; g < 2; g++) {
                byte[] address = new byte[20];
                r.nextBytes(address);
                byte[] v4 = new byte[32];
                r.nextBytes(v4);
                for (int k = 0; k < 4; k++) {
                    address[19] = (byte) k; // the same first 16 bytes: one home slot
                    v4[31] = (byte) k;
                    ids.add(PoolId.of(Address.wrap(address.clone())));
                    ids.add(PoolId.of(Bytes32.wrap(v4.clone())));
                }
            }
            Map<PoolId, Integer> expected = new HashMap<>();
            PoolIdMap<Integer> actual = new PoolIdMap<>();
            for (int op = 0; op < 300; op++) {
                PoolId id = ids.get(r.nextInt(ids.size()));
                if (r.nextBoolean()) {
                    assertThat(actual.remove(copy(id))).as("remove %s, seed %d map %d op %d", id, seed, map, op).isEqualTo(expected.remove(id));
                } else {
                    int v = r.nextInt();
                    assertThat(actual.put(copy(id), v)).as("put %s, seed %d map %d op %d", id, seed, map, op).isEqualTo(expected.put(id, v));
                }
                for (PoolId each : ids) {
                    assertThat(actual.get(each)).as("get %s, seed %d map %d op %d", each, seed, map, op).isEqualTo(expected.get(each));
                }
            }
        }
    }

    @Test
    void addressesAndV4IdsWithTheSameWordsAreDifferentKeys() {
        byte[] address = new byte[20];
        address[0] = 7;
        byte[] v4 = new byte[32];
        v4[0] = 7;
        PoolId a = PoolId.of(Address.wrap(address));
        PoolId b = PoolId.of(Bytes32.wrap(v4));
        PoolIdMap<String> map = new PoolIdMap<>();
        map.put(a, "address");
        assertThat(map.get(b)).isNull();
        map.put(b, "v4");
        assertThat(map.get(a)).isEqualTo("address");
        assertThat(map.get(b)).isEqualTo("v4");
        assertThat(map.remove(a)).isEqualTo("address");
        assertThat(map).containsExactly(Map.entry(b, "v4"));
    }

    @Test
    void iterationFailsAfterAChange() {
        PoolIdMap<String> map = new PoolIdMap<>();
        map.put(PoolId.parse("0x" + "11".repeat(20)), "a");
        map.put(PoolId.parse("0x" + "22".repeat(20)), "b");
        Iterator<Map.Entry<PoolId, String>> it = map.entrySet().iterator();
        it.next();
        map.put(PoolId.parse("0x" + "33".repeat(32)), "c");
        assertThatThrownBy(it::hasNext).isInstanceOf(ConcurrentModificationException.class);
        Iterator<Map.Entry<PoolId, String>> afterRemove = map.entrySet().iterator();
        map.remove(PoolId.parse("0x" + "11".repeat(20)));
        assertThatThrownBy(afterRemove::hasNext).isInstanceOf(ConcurrentModificationException.class);
        Iterator<Map.Entry<PoolId, String>> afterClear = map.entrySet().iterator();
        map.clear();
        assertThatThrownBy(afterClear::hasNext).isInstanceOf(ConcurrentModificationException.class);
        assertThat(map).isEmpty();
        assertThatThrownBy(() -> map.put(PoolId.parse("0x" + "44".repeat(20)), null)).isInstanceOf(NullPointerException.class);
    }
}
