package io.poolstate.bench;

import io.nats.client.Connection;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.nats.FoldingWhitelistSink;
import io.poolstate.nats.NatsSettings;
import io.poolstate.nats.WhitelistSubscription;
import io.poolstate.postgres.Database;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistFormat;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.protocol.whitelist.WhitelistSubjects;
import io.poolstate.testkit.NatsServerProcess;
import io.poolstate.testkit.SyntheticPools;
import io.poolstate.whitelist.WhitelistMetrics;
import io.poolstate.whitelist.publish.SnapshotPublisher;
import io.poolstate.whitelist.publish.WhitelistPublisher;
import io.poolstate.whitelist.store.WhitelistStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whitelist lists of mainnet size through NATS: for each list size and each server {@code max_payload}, a private
 * nats-server; the full list encoded, checked and published on both subjects (bytes and messages per format), read
 * back by a subscriber that starts afterwards on each subject (time until its fold holds the whole list, checked
 * pool by pool), and the size of a two-pool diff. Then the whole publication path with the local Postgres
 * (snapshot stored pending, published, marked published) for the same lists. Median of {@code rounds}.
 * Usage: {@code java -cp benchmarks.jar io.poolstate.bench.WhitelistBusHarness [pools,pools,...] [rounds]}.
 */
public final class WhitelistBusHarness {
    private static final String CHAIN = "bench";
    private static final int[] PAYLOADS = {NatsServerProcess.DEFAULT_MAX_PAYLOAD, 64 * 1024};

    private WhitelistBusHarness() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {10_000, 50_000};
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("whitelist-bus-bench");
        for (int n : sizes) {
            List<PoolDescriptor> pools = SyntheticPools.list(n, n);
            for (int payload : PAYLOADS) {
                try (NatsServerProcess nats = NatsServerProcess.start(dir.resolve(n + "-" + payload), payload); Connection nc = nats.connect()) {
                    measure(nats, nc, pools, payload, rounds);
                }
            }
        }
        for (int n : sizes) {
            try (NatsServerProcess nats = NatsServerProcess.start(dir.resolve(n + "-pg"), NatsServerProcess.DEFAULT_MAX_PAYLOAD); Connection nc = nats.connect();
                 Database db = Database.open("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", null, "wl_bus_bench_" + Long.toHexString(System.nanoTime()),
                         WhitelistStore.MIGRATIONS)) {
                withStore(nc, db, SyntheticPools.list(n, n));
            }
        }
    }

    private static void measure(NatsServerProcess nats, Connection nc, List<PoolDescriptor> pools, int payload, int rounds) throws Exception {
        WhitelistPublisher publisher = new WhitelistPublisher(nc, CHAIN);
        publisher.ensureStream();
        WhitelistSubjects subjects = new WhitelistSubjects(CHAIN);
        long[] prepare = new long[rounds];
        long[] publish = new long[rounds];
        long[] readMinimal = new long[rounds];
        long[] readFull = new long[rounds];
        WhitelistPublisher.Sent sent = null;
        long id = System.currentTimeMillis() - 3_600_000;
        for (int r = 0; r < rounds; r++) {
            id += 10;
            WhitelistMessage m = WhitelistMessage.full(CHAIN, id, Instant.ofEpochMilli(id), pools);
            long t0 = System.nanoTime();
            WhitelistPublisher.Prepared p = publisher.prepare(m);
            long t1 = System.nanoTime();
            sent = publisher.publish(p);
            long t2 = System.nanoTime();
            prepare[r] = t1 - t0;
            publish[r] = t2 - t1;
            readMinimal[r] = readBack(nats, subjects.subject(WhitelistFormat.MINIMAL), m, false);
            readFull[r] = readBack(nats, subjects.subject(WhitelistFormat.FULL), m, true);
        }
        List<PoolDescriptor> removed = pools.subList(0, 2);
        WhitelistPublisher.Sent remove = publisher.publish(new WhitelistMessage(UpdateType.REMOVE, CHAIN, id + 1, id, Instant.ofEpochMilli(id + 1), List.of(),
                removed.stream().map(PoolDescriptor::id).toList()));
        WhitelistPublisher.Sent add = publisher.publish(new WhitelistMessage(UpdateType.ADD, CHAIN, id + 2, id + 1, Instant.ofEpochMilli(id + 2), removed,
                removed.stream().map(PoolDescriptor::id).toList()));
        System.out.printf("%,d pools, max_payload %,d B: minimal %,d B in %d messages (%.1f B/pool), full %,d B in %d messages (%.1f B/pool)%n", pools.size(),
                payload, sent.minimalBytes(), sent.minimalParts(), (double) sent.minimalBytes() / pools.size(), sent.fullBytes(), sent.fullParts(),
                (double) sent.fullBytes() / pools.size());
        System.out.printf("  encode + read-back check %s; publish both subjects %s; late subscriber holds the list: minimal %s, full %s%n", ms(prepare),
                ms(publish), ms(readMinimal), ms(readFull));
        System.out.printf("  2-pool diff: remove minimal %d B / full %d B; add minimal %d B / full %d B%n", remove.minimalBytes(), remove.fullBytes(),
                add.minimalBytes(), add.fullBytes());
    }

    /** Starts a subscriber and waits until its fold holds exactly {@code m}; returns the nanoseconds it took. */
    private static long readBack(NatsServerProcess nats, String subject, WhitelistMessage m, boolean metadata) throws Exception {
        FoldingWhitelistSink sink = new FoldingWhitelistSink(WhitelistFold.Guard.NONE, metadata);
        long t0 = System.nanoTime();
        try (WhitelistSubscription sub = new WhitelistSubscription(NatsSettings.of(nats.url()), subject, sink, 256 << 20).start()) {
            while (sink.state().snapshotId() != m.snapshotId()) {
                if (System.nanoTime() - t0 > 120_000_000_000L) {
                    throw new IllegalStateException("no read-back within 120 s: subject=" + subject + " counts=" + sink.counts());
                }
                Thread.sleep(1);
            }
            long took = System.nanoTime() - t0;
            if (!sink.state().ids().equals(new HashSet<>(m.poolIds())) || metadata && !new HashSet<>(sink.state().descriptors()).equals(new HashSet<>(m.pools()))
                    || sink.counts().malformed() > 0 || sub.messagesRead() == 0) {
                throw new IllegalStateException("read back a different list: subject=" + subject + " pools=" + sink.state().size() + " counts=" + sink.counts());
            }
            return took;
        }
    }

    private static void withStore(Connection nc, Database db, List<PoolDescriptor> pools) throws Exception {
        WhitelistStore store = new WhitelistStore(db.dataSource(), CHAIN);
        WhitelistPublisher publisher = new WhitelistPublisher(nc, CHAIN);
        publisher.ensureStream();
        SnapshotPublisher snapshots = new SnapshotPublisher(store, publisher, new WhitelistMetrics());
        Map<PoolId, PoolDescriptor> list = new LinkedHashMap<>();
        pools.forEach(p -> list.put(p.id(), p));
        long t0 = System.nanoTime();
        SnapshotPublisher.Published full = snapshots.publish(list, Map.of(), Map.of()).get(0);
        long t1 = System.nanoTime();
        List<PoolId> gone = new ArrayList<>(list.keySet()).subList(0, 2);
        gone.forEach(list::remove);
        List<SnapshotPublisher.Published> diff = snapshots.publish(list, Map.of(), Map.of());
        long t2 = System.nanoTime();
        System.out.printf("%,d pools with Postgres (max_payload 1 MiB): full list stored and published in %.2f s (%d + %d messages); 2-pool diff run %.0f ms, %s %d B minimal%n",
                pools.size(), (t1 - t0) / 1e9, full.sent().minimalParts(), full.sent().fullParts(), (t2 - t1) / 1e6, diff.get(0).message().type().wireName(),
                diff.get(0).sent().minimalBytes());
    }

    private static String ms(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format("median %.0f ms (min %.0f)", s[s.length / 2] / 1e6, s[0] / 1e6);
    }
}
