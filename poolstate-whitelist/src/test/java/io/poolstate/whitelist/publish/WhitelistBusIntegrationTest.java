package io.poolstate.whitelist.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfoOptions;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.nats.FoldingWhitelistSink;
import io.poolstate.nats.NatsSettings;
import io.poolstate.nats.WhitelistSink;
import io.poolstate.nats.WhitelistSubscription;
import io.poolstate.postgres.Database;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistCodec;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistFormat;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.protocol.whitelist.WhitelistSubjects;
import io.poolstate.testkit.NatsServerProcess;
import io.poolstate.testkit.SyntheticPools;
import io.poolstate.whitelist.WhitelistMetrics;
import io.poolstate.whitelist.store.WhitelistStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whitelist between the publisher and its consumers through private nats-servers (and the local Postgres for the
 * snapshots): lists larger than the server's max_payload, late subscribers, retention, a publisher's mistakes and a
 * hostile one's messages.
 */
class WhitelistBusIntegrationTest {
    private static final String CHAIN = "bus";
    private static final WhitelistSubjects SUBJECTS = new WhitelistSubjects(CHAIN);
    private static final String MINIMAL = SUBJECTS.subject(WhitelistFormat.MINIMAL);
    private static final String FULL = SUBJECTS.subject(WhitelistFormat.FULL);
    private static final int SMALL_PAYLOAD = 64 * 1024;

    @Test
    void aTenThousandPoolListCrossesASmallMaxPayloadAndReadsBackWhole(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        try (NatsServerProcess nats = NatsServerProcess.start(dir.resolve("nats"), SMALL_PAYLOAD); Connection nc = nats.connect(); Database db = database()) {
            WhitelistStore store = new WhitelistStore(db.dataSource(), CHAIN);
            WhitelistPublisher publisher = new WhitelistPublisher(nc, CHAIN);
            publisher.ensureStream();
            SnapshotPublisher snapshots = new SnapshotPublisher(store, publisher, new WhitelistMetrics());
            List<PoolDescriptor> pools = SyntheticPools.list(10_000, 16);
            assertThat(WhitelistCodec.writeMinimal(WhitelistMessage.full(CHAIN, 1, Instant.EPOCH, pools)).length)
                    .as("the list in one message would exceed the server's max_payload").isGreaterThan(SMALL_PAYLOAD);
            assertThat(publisher.maxMessageBytes()).isEqualTo(SMALL_PAYLOAD - WhitelistPublisher.HEADROOM);

            FoldingWhitelistSink ids = new FoldingWhitelistSink(WhitelistFold.Guard.DEFAULT, false);
            FoldingWhitelistSink metadata = new FoldingWhitelistSink(WhitelistFold.Guard.DEFAULT, true);
            SnapshotPublisher.Published full;
            SnapshotPublisher.Published diff;
            try (WhitelistSubscription a = new WhitelistSubscription(NatsSettings.of(nats.url()), MINIMAL, ids, 64 << 20).start();
                 WhitelistSubscription b = new WhitelistSubscription(NatsSettings.of(nats.url()), FULL, metadata, 64 << 20).start()) {
                full = snapshots.publish(byId(pools), Map.of(), Map.of()).get(0);
                assertThat(full.message().type()).isEqualTo(UpdateType.FULL);
                assertThat(full.sent().minimalParts()).isGreaterThan(1);
                assertThat(full.sent().fullParts()).isGreaterThan(full.sent().minimalParts());
                assertThat(store.latest().status()).isEqualTo("published");
                System.out.printf("10,000 pools through max_payload=%d: minimal %d B in %d messages, full %d B in %d messages%n", SMALL_PAYLOAD,
                        full.sent().minimalBytes(), full.sent().minimalParts(), full.sent().fullBytes(), full.sent().fullParts());
                waitFor(() -> ids.state().snapshotId() == full.message().snapshotId() && metadata.state().snapshotId() == full.message().snapshotId(),
                        "the list read back");
                assertThat(ids.state().ids()).containsExactlyInAnyOrderElementsOf(pools.stream().map(PoolDescriptor::id).toList());
                assertThat(new HashSet<>(metadata.state().descriptors())).isEqualTo(new HashSet<>(pools));

                // two pools leave: a diff of a few hundred bytes, not a new list
                List<PoolDescriptor> next = new ArrayList<>(pools);
                next.remove(4_000);
                next.remove(7);
                List<SnapshotPublisher.Published> r = snapshots.publish(byId(next), Map.of(), Map.of());
                assertThat(r).singleElement().extracting(p -> p.message().type()).isEqualTo(UpdateType.REMOVE);
                diff = r.get(0);
                assertThat(diff.sent().minimalBytes()).isLessThanOrEqualTo(300);
                waitFor(() -> ids.state().snapshotId() == diff.message().snapshotId() && metadata.state().snapshotId() == diff.message().snapshotId(),
                        "the diff");
                assertThat(ids.state().size()).isEqualTo(9_998);
                assertThat(metadata.state().size()).isEqualTo(9_998);
                assertThat(ids.counts().malformed() + metadata.counts().malformed()).isZero();
                assertThat(a.malformedMessages() + b.malformedMessages()).isZero();
            }

            // a subscriber that starts now reads the full list's parts and the diff, nothing else
            FoldingWhitelistSink late = new FoldingWhitelistSink(WhitelistFold.Guard.DEFAULT, false);
            try (WhitelistSubscription c = new WhitelistSubscription(NatsSettings.of(nats.url()), MINIMAL, late, 64 << 20).start()) {
                waitFor(() -> late.state().snapshotId() == diff.message().snapshotId(), "the late subscriber");
                assertThat(late.state().ids()).isEqualTo(ids.state().ids());
                assertThat(c.messagesRead()).isEqualTo(full.sent().minimalParts() + 1L);
            }

            // a full snapshot left pending by a crash is published again with the very same messages, part by part
            try (NatsServerProcess other = NatsServerProcess.start(dir.resolve("nats2"), SMALL_PAYLOAD); Connection nc2 = other.connect();
                 var c = db.dataSource().getConnection()) {
                c.createStatement().execute("DELETE FROM whitelist_snapshots WHERE chain = '" + CHAIN + "' AND snapshot_id = " + diff.message().snapshotId());
                c.createStatement().execute("UPDATE whitelist_snapshots SET status = 'pending' WHERE chain = '" + CHAIN + "'");
                WhitelistPublisher again = new WhitelistPublisher(nc2, CHAIN);
                again.ensureStream();
                assertThat(new SnapshotPublisher(store, again, new WhitelistMetrics()).finishPending().message().snapshotId())
                        .isEqualTo(full.message().snapshotId());
                JetStreamManagement first = nc.jetStreamManagement();
                JetStreamManagement second = nc2.jetStreamManagement();
                int parts = full.sent().minimalParts() + full.sent().fullParts();
                for (long seq = 1; seq <= parts; seq++) {
                    MessageInfo x = first.getMessage(WhitelistSubjects.STREAM, seq);
                    MessageInfo y = second.getMessage(WhitelistSubjects.STREAM, seq);
                    assertThat(y.getHeaders().getFirst(WhitelistSubjects.MSG_ID_HEADER)).isEqualTo(x.getHeaders().getFirst(WhitelistSubjects.MSG_ID_HEADER));
                    assertThat(y.getData()).as("sequence %d", seq).isEqualTo(x.getData());
                }
            }
        }
    }

    @Test
    void aLateSubscriberReadsFromTheNewestFullListOnly(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        try (NatsServerProcess nats = NatsServerProcess.start(dir); Connection nc = nats.connect()) {
            WhitelistPublisher publisher = new WhitelistPublisher(nc, CHAIN,
                    new WhitelistPublisher.Settings(100, 1_000, 1L << 30, Duration.ZERO, Duration.ofMinutes(2), 16 * 1024));
            publisher.ensureStream();
            List<PoolDescriptor> all = SyntheticPools.list(3_000, 5);
            long id = System.currentTimeMillis() - 10_000;
            publisher.publish(WhitelistMessage.full(CHAIN, id, Instant.ofEpochMilli(id), all.subList(0, 1_500)));
            publisher.publish(add(id + 1, id, all.subList(1_500, 1_510)));
            publisher.publish(remove(id + 2, id + 1, all.subList(0, 3)));
            List<PoolDescriptor> second = all.subList(1_000, 3_000);
            WhitelistPublisher.Sent newest = publisher.publish(WhitelistMessage.full(CHAIN, id + 3, Instant.ofEpochMilli(id + 3), second));
            publisher.publish(add(id + 4, id + 3, all.subList(0, 2)));
            publisher.publish(remove(id + 5, id + 4, all.subList(2_000, 2_001)));
            assertThat(newest.minimalParts()).isGreaterThan(1);
            assertThat(newest.fullParts()).isGreaterThan(1);

            for (WhitelistFormat format : WhitelistFormat.values()) {
                List<List<WhitelistMessage>> batches = new CopyOnWriteArrayList<>();
                FoldingWhitelistSink fold = new FoldingWhitelistSink(WhitelistFold.Guard.DEFAULT, format == WhitelistFormat.FULL);
                WhitelistSink recording = new Recording(fold, batches);
                try (WhitelistSubscription sub = new WhitelistSubscription(NatsSettings.of(nats.url()), SUBJECTS.subject(format), recording, 64 << 20).start()) {
                    waitFor(() -> fold.state().snapshotId() == id + 5, "the newest snapshot on " + format);
                    assertThat(batches).hasSize(1);
                    assertThat(batches.get(0)).extracting(WhitelistMessage::snapshotId).containsExactly(id + 3, id + 4, id + 5);
                    int parts = format == WhitelistFormat.FULL ? newest.fullParts() : newest.minimalParts();
                    assertThat(sub.messagesRead()).as("messages read on %s", format).isEqualTo(parts + 2L);
                    assertThat(fold.state().size()).isEqualTo(2_000 + 2 - 1);
                }
            }
        }
    }

    @Test
    void retentionKeepsTheNewestFullListAndTheDiffsAfterIt(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        long seed = Long.getLong("poolstate.seed", System.nanoTime());
        System.out.println("retention test seed=" + seed);
        Random rnd = new Random(seed);
        try (NatsServerProcess nats = NatsServerProcess.start(dir); Connection nc = nats.connect(); Database db = database()) {
            WhitelistStore store = new WhitelistStore(db.dataSource(), CHAIN);
            WhitelistPublisher.Settings settings = new WhitelistPublisher.Settings(5, 12, 1L << 30, Duration.ZERO, Duration.ofMinutes(2), 16 * 1024);
            WhitelistPublisher publisher = new WhitelistPublisher(nc, CHAIN, settings);
            publisher.ensureStream();
            SnapshotPublisher snapshots = new SnapshotPublisher(store, publisher, new WhitelistMetrics());
            List<PoolDescriptor> universe = SyntheticPools.list(600, seed);
            Map<PoolId, PoolDescriptor> list = byId(universe.subList(0, 300));
            List<UpdateType> types = new ArrayList<>();
            for (int run = 0; run < 30; run++) {
                for (int k = 0; k < 3; k++) {
                    PoolDescriptor p = universe.get(rnd.nextInt(universe.size()));
                    if (list.remove(p.id()) == null) {
                        list.put(p.id(), p);
                    }
                }
                snapshots.publish(list, Map.of(), Map.of()).forEach(p -> types.add(p.message().type()));
            }
            // a full list at least every 5 snapshots
            int sinceFull = 0;
            for (UpdateType t : types) {
                sinceFull = t == UpdateType.FULL ? 0 : sinceFull + 1;
                assertThat(sinceFull).as("seed=%d types=%s", seed, types).isLessThan(5);
            }
            JetStreamManagement jsm = nc.jetStreamManagement();
            StreamConfiguration config = jsm.getStreamInfo(WhitelistSubjects.STREAM).getConfiguration();
            assertThat(config.getMaxMsgsPerSubject()).as("raised so a full list fits twice").isGreaterThan(12);
            assertThat(config.getDuplicateWindow()).isEqualTo(Duration.ofMinutes(2));
            var subjects = jsm.getStreamInfo(WhitelistSubjects.STREAM, StreamInfoOptions.allSubjects()).getStreamState().getSubjectMap();
            assertThat(subjects.get(FULL)).as("retention bounds the subject").isLessThanOrEqualTo(config.getMaxMsgsPerSubject());
            assertThat(subjects.get(FULL)).as("older lists were dropped").isLessThan(types.size());

            long newest = store.latestPublished().snapshotId();
            for (WhitelistFormat format : WhitelistFormat.values()) {
                FoldingWhitelistSink late = new FoldingWhitelistSink(WhitelistFold.Guard.DEFAULT, format == WhitelistFormat.FULL);
                try (WhitelistSubscription sub = new WhitelistSubscription(NatsSettings.of(nats.url()), SUBJECTS.subject(format), late, 64 << 20).start()) {
                    waitFor(() -> late.state().snapshotId() == newest, "a late consumer on " + format + " (seed=" + seed + ")");
                    assertThat(late.state().ids()).containsExactlyInAnyOrderElementsOf(list.keySet());
                    if (format == WhitelistFormat.FULL) {
                        assertThat(new HashSet<>(late.state().descriptors())).isEqualTo(new HashSet<>(list.values()));
                    }
                    assertThat(late.counts().malformed()).isZero();
                }
            }
        }
    }

    @Test
    void twoChainsSnapshotsOfTheSameMillisecondAreBothStoredAndFollowedApart(@TempDir Path dir) throws Exception {
        Map<String, Long> chainIds = Map.of("left", 71_001L, "right", 71_002L);
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        try (NatsServerProcess nats = NatsServerProcess.start(dir); Connection nc = nats.connect()) {
            List<PoolDescriptor> pools = SyntheticPools.list(6, 3);
            long id = System.currentTimeMillis();
            Map<String, List<PoolDescriptor>> lists = new LinkedHashMap<>();
            lists.put("left", pools.subList(0, 2));
            lists.put("right", pools.subList(2, 6));
            Map<String, FoldingWhitelistSink> sinks = new LinkedHashMap<>();
            List<WhitelistSubscription> subscriptions = new ArrayList<>();
            for (var e : lists.entrySet()) {
                WhitelistPublisher p = new WhitelistPublisher(nc, e.getKey(), chainIds.get(e.getKey()), WhitelistPublisher.Settings.DEFAULT);
                p.ensureStream();
                WhitelistPublisher.Sent sent = p.publish(WhitelistMessage.full(e.getKey(), id, Instant.now(), e.getValue()));
                assertThat(sent.minimalParts()).isEqualTo(1);
                assertThat(p.continues(id)).as("%s's subjects end with its own snapshot %d", e.getKey(), id).isTrue();
            }
            for (String chain : lists.keySet()) {
                FoldingWhitelistSink sink = new FoldingWhitelistSink(WhitelistFold.Guard.DEFAULT, true);
                sinks.put(chain, sink);
                subscriptions.add(new WhitelistSubscription(NatsSettings.of(nats.url()), new WhitelistSubjects(chain).subject(WhitelistFormat.FULL), sink,
                        1 << 20).chainId(chainIds.get(chain)).start());
            }
            for (var e : lists.entrySet()) {
                FoldingWhitelistSink sink = sinks.get(e.getKey());
                waitFor(() -> sink.state().size() > 0, "the list of chain " + e.getKey());
                assertThat(sink.state().snapshotId()).isEqualTo(id);
                assertThat(sink.state().ids()).as("chain %s follows its own list only", e.getKey())
                        .containsExactlyInAnyOrderElementsOf(e.getValue().stream().map(PoolDescriptor::id).toList());
            }
            MessageInfo last = nc.jetStreamManagement().getLastMessage(WhitelistSubjects.STREAM, "whitelist.pools.right.full");
            assertThat(last.getHeaders().getFirst(WhitelistSubjects.MSG_ID_HEADER)).isEqualTo(id + "-full@right");
            assertThat(last.getHeaders().getFirst(WhitelistSubjects.CHAIN_ID_HEADER)).isEqualTo("71002");
            // a list made on another chain, published under left's name: refused by left's consumers, nothing changes
            new WhitelistPublisher(nc, "left", 10, WhitelistPublisher.Settings.DEFAULT).publish(WhitelistMessage.full("left", id + 1, Instant.now(), pools));
            FoldingWhitelistSink left = sinks.get("left");
            waitFor(() -> left.counts().malformed() > 0, "the impostor list refused");
            assertThat(left.reasons()).anySatisfy(r -> assertThat(r).contains("chain_id=10 expected=71001"));
            assertThat(left.state().snapshotId()).isEqualTo(id);
            assertThat(left.state().size()).isEqualTo(2);
            subscriptions.forEach(WhitelistSubscription::close);
        }
    }

    @Test
    void aDiffPublishedTwiceIsSkipped(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        try (NatsServerProcess nats = NatsServerProcess.start(dir); Connection nc = nats.connect()) {
            WhitelistPublisher publisher = new WhitelistPublisher(nc, CHAIN);
            publisher.ensureStream();
            List<PoolDescriptor> pools = SyntheticPools.list(40, 3);
            long id = System.currentTimeMillis() - 10_000;
            publisher.publish(WhitelistMessage.full(CHAIN, id, Instant.ofEpochMilli(id), pools.subList(0, 30)));
            WhitelistMessage add = add(id + 1, id, pools.subList(30, 32));
            publisher.publish(add);
            FoldingWhitelistSink ids = new FoldingWhitelistSink(WhitelistFold.Guard.DEFAULT, false);
            FoldingWhitelistSink metadata = new FoldingWhitelistSink(WhitelistFold.Guard.DEFAULT, true);
            try (WhitelistSubscription a = new WhitelistSubscription(NatsSettings.of(nats.url()), MINIMAL, ids, 1 << 20).start();
                 WhitelistSubscription b = new WhitelistSubscription(NatsSettings.of(nats.url()), FULL, metadata, 1 << 20).start()) {
                waitFor(() -> ids.state().snapshotId() == id + 1 && metadata.state().snapshotId() == id + 1, "the list");
                long resyncs = a.resyncs() + b.resyncs();
                // the same diff again after the duplicate window: JetStream stores it under a new message id
                NatsServerProcess.publishRaw(nc, MINIMAL, (id + 1) + "-minimal-again", WhitelistCodec.writeMinimal(add));
                NatsServerProcess.publishRaw(nc, FULL, (id + 1) + "-full-again", WhitelistCodec.writeFull(add));
                waitFor(() -> ids.counts().duplicates() == 1 && metadata.counts().duplicates() == 1, "the second copy skipped");
                publisher.publish(remove(id + 2, id + 1, pools.subList(0, 1)));
                waitFor(() -> ids.state().snapshotId() == id + 2 && metadata.state().snapshotId() == id + 2, "the next diff");
                assertThat(ids.state().size()).isEqualTo(31);
                assertThat(metadata.state().size()).isEqualTo(31);
                assertThat(ids.counts().gaps() + metadata.counts().gaps()).isZero();
                assertThat(a.resyncs() + b.resyncs()).as("no re-sync for a duplicate").isEqualTo(resyncs);
            }
        }
    }

    @Test
    void aHostilePublishersBurstIsRejectedAndChangesNothing(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        try (NatsServerProcess nats = NatsServerProcess.start(dir); Connection nc = nats.connect()) {
            WhitelistPublisher publisher = new WhitelistPublisher(nc, CHAIN);
            publisher.ensureStream();
            List<PoolDescriptor> pools = SyntheticPools.list(20, 7);
            long id = System.currentTimeMillis() - 60_000;
            publisher.publish(WhitelistMessage.full(CHAIN, id, Instant.ofEpochMilli(id), pools.subList(0, 16)));
            publisher.publish(add(id + 1, id, pools.subList(16, 17)));
            FoldingWhitelistSink ids = new FoldingWhitelistSink(WhitelistFold.Guard.DEFAULT, false);
            FoldingWhitelistSink metadata = new FoldingWhitelistSink(WhitelistFold.Guard.DEFAULT, true);
            try (WhitelistSubscription a = new WhitelistSubscription(NatsSettings.of(nats.url()), MINIMAL, ids, 1 << 20).start();
                 WhitelistSubscription b = new WhitelistSubscription(NatsSettings.of(nats.url()), FULL, metadata, 1 << 20).start()) {
                waitFor(() -> ids.state().snapshotId() == id + 1 && metadata.state().snapshotId() == id + 1, "the publisher's list");
                var before = ids.state().ids();
                String p0 = "\"" + pools.get(0).id() + "\"";
                String p1 = "\"" + pools.get(1).id() + "\"";
                String pool = WhitelistCodec.writePool(pools.get(1)).toString();
                long now = id + 1;
                Map<String, String> minimalBurst = new LinkedHashMap<>();
                minimalBurst.put("[" + p0 + "," + p1 + "]", "envelope=list");
                minimalBurst.put("{\"type\":\"add\",\"snapshot_id\":" + (now + 1_000) + ",\"prev_snapshot_id\":" + (now + 7) + ",\"pools\":[" + p0 + "]}", "gap");
                minimalBurst.put("{\"type\":\"remove\",\"snapshot_id\":" + (now + 2_000) + ",\"prev_snapshot_id\":" + (now + 1_999) + ",\"pool_ids\":[" + p0 + "]}", "gap");
                minimalBurst.put("{\"type\":\"remove\",\"snapshot_id\":" + (now + 5) + ",\"prev_snapshot_id\":" + now + ",\"pool_ids\":[" + p0 + "," + p1 + "," + p0 + "]}",
                        "listed twice");
                minimalBurst.put("{\"type\":\"add\",\"snapshot_id\":" + (now + 6) + ",\"prev_snapshot_id\":" + now + ",\"pools\":[\"0x1234\"]}", "pool id must be");
                minimalBurst.put("{\"type\":\"full\",\"snapshot_id\":1e30,\"pools\":[" + p0 + "]}", "not an integer");
                minimalBurst.put("{\"type\":\"full\",\"snapshot_id\":123456789012345678901234567890,\"pools\":[" + p0 + "]}", "above 9007199254740991");
                minimalBurst.put("{\"type\":\"full\",\"snapshot_id\":" + now + ".5,\"pools\":[" + p0 + "]}", "not an integer");
                minimalBurst.put("{\"type\":\"full\",\"snapshot_id\":9000000000000000,\"pools\":[" + p0 + "]}", "more than a day in the future");
                minimalBurst.put("{\"type\":\"full\",\"pools\":[" + p0 + "]}", "snapshot_id: missing");
                minimalBurst.put("{\"type\":\"full\",\"snapshot_id\":" + (now + 11) + ",\"pools\":[" + pool + "," + p0 + "]}", "mixes pool objects");
                minimalBurst.put("{\"type\":\"full\",\"chain\":\"" + CHAIN + "\",\"snapshot_id\":" + (now + 3_000) + ",\"pools\":[]}", "the list would become empty");
                Map<String, String> fullBurst = new LinkedHashMap<>();
                fullBurst.put("[" + pool + "]", "envelope=list");
                fullBurst.put("{\"type\":\"full\",\"snapshot_id\":" + (now + 10) + ",\"pools\":[" + pool.replaceAll("\"tick_spacing\":\\d+", "\"tick_spacing\":0")
                        .replace("\"protocol\":\"uniswap_v2\"", "\"protocol\":\"uniswap_v3\",\"fee\":500") + "]}", "tick_spacing=0");
                fullBurst.put("{\"type\":\"full\",\"snapshot_id\":" + (now + 12) + ",\"pools\":[" + p0 + "]}", "pool metadata is expected");
                fullBurst.put("{\"type\":\"full\",\"chain\":\"" + CHAIN + "\",\"snapshot_id\":" + (now + 3_000) + ",\"pools\":[]}", "the list would become empty");
                for (var e : minimalBurst.entrySet()) {
                    NatsServerProcess.publishRaw(nc, MINIMAL, null, e.getKey().getBytes(StandardCharsets.UTF_8));
                }
                for (var e : fullBurst.entrySet()) {
                    NatsServerProcess.publishRaw(nc, FULL, null, e.getKey().getBytes(StandardCharsets.UTF_8));
                }
                waitFor(() -> ids.counts().held() >= 1 && metadata.counts().held() >= 1 && ids.counts().malformed() >= 8 && metadata.counts().malformed() >= 3,
                        "the burst handled");
                for (var e : minimalBurst.entrySet()) {
                    assertThat(ids.reasons()).as("minimal: %s", e.getKey()).anyMatch(r -> r.contains(e.getValue()));
                }
                for (var e : fullBurst.entrySet()) {
                    assertThat(metadata.reasons()).as("full: %s", e.getKey()).anyMatch(r -> r.contains(e.getValue()));
                }
                assertThat(ids.state().ids()).isEqualTo(before);
                assertThat(ids.state().snapshotId()).isEqualTo(id + 1);
                assertThat(metadata.state().ids()).isEqualTo(before);
                assertThat(ids.held()).contains("empty");

                // a hundred out-of-chain diffs over three seconds: re-syncs stay paced
                long resyncs = a.resyncs();
                for (int i = 0; i < 100; i++) {
                    NatsServerProcess.publishRaw(nc, MINIMAL, null, ("{\"type\":\"add\",\"snapshot_id\":" + (now + 10_000 + 2 * i) + ",\"prev_snapshot_id\":"
                            + (now + 10_001 + 2 * i) / 2 + ",\"pools\":[" + p1 + "]}").getBytes(StandardCharsets.UTF_8));
                    Thread.sleep(30);
                }
                Thread.sleep(1_000);
                assertThat(a.resyncs() - resyncs).as("re-syncs during the burst").isBetween(1L, 4L);
                assertThat(ids.state().ids()).isEqualTo(before);

                // the publisher goes on, and both consumers follow it
                publisher.publish(add(id + 2, id + 1, pools.subList(17, 18)));
                waitFor(() -> ids.state().snapshotId() == id + 2 && metadata.state().snapshotId() == id + 2, "the publisher's next diff");
                assertThat(ids.state().size()).isEqualTo(18);
                assertThat(metadata.state().size()).isEqualTo(18);

                // and a consumer that starts after all this gets the publisher's list, not the stray empty one
                FoldingWhitelistSink late = new FoldingWhitelistSink(WhitelistFold.Guard.DEFAULT, true);
                try (WhitelistSubscription c = new WhitelistSubscription(NatsSettings.of(nats.url()), FULL, late, 1 << 20).start()) {
                    waitFor(() -> late.state().snapshotId() == id + 2, "a late consumer");
                    assertThat(late.state().ids()).isEqualTo(metadata.state().ids());
                }
            }
        }
    }

    /** Records each re-sync batch and passes everything on. */
    private record Recording(FoldingWhitelistSink fold, List<List<WhitelistMessage>> batches) implements WhitelistSink {
        @Override
        public void resynced(List<WhitelistMessage> fromLatestFull) {
            batches.add(fromLatestFull);
            fold.resynced(fromLatestFull);
        }

        @Override
        public void live(WhitelistMessage message) {
            fold.live(message);
        }

        @Override
        public boolean needsResync() {
            return fold.needsResync();
        }

        @Override
        public void malformed(String subject, String reason) {
            fold.malformed(subject, reason);
        }
    }

    private static WhitelistMessage add(long id, long prev, List<PoolDescriptor> pools) {
        return new WhitelistMessage(UpdateType.ADD, CHAIN, id, prev, Instant.ofEpochMilli(id), pools, pools.stream().map(PoolDescriptor::id).toList());
    }

    private static WhitelistMessage remove(long id, long prev, List<PoolDescriptor> pools) {
        return new WhitelistMessage(UpdateType.REMOVE, CHAIN, id, prev, Instant.ofEpochMilli(id), List.of(), pools.stream().map(PoolDescriptor::id).toList());
    }

    private static Map<PoolId, PoolDescriptor> byId(List<PoolDescriptor> pools) {
        Map<PoolId, PoolDescriptor> out = new LinkedHashMap<>();
        pools.forEach(p -> out.put(p.id(), p));
        return out;
    }

    private static Database database() {
        String schema = "wl_bus_" + Long.toHexString(System.nanoTime());
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            Assumptions.abort("no Postgres at 127.0.0.1:5432/test: " + e.getMessage());
        }
        return Database.open("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null, schema, WhitelistStore.MIGRATIONS);
    }

    private static void waitFor(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }
}
