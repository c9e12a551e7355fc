package io.poolstate.feed;

import io.poolstate.testkit.NatsServerProcess;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.traffic.TrafficGenerator;
import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.Log;
import io.poolstate.eth.rpc.LogFilter;
import io.poolstate.feed.chain.FeedAgent;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.FeedClient;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.FrameServer;
import io.nats.client.Connection;
import io.poolstate.nats.NatsSettings;
import io.poolstate.nats.WhitelistSubscription;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.feed.whitelist.WhitelistTracker;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FrameCodec;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feed on a devnet with traffic and reorgs: every block a consumer receives holds exactly the whitelisted
 * pools' logs that eth_getLogs reports for that block hash, in order; reverts undo exactly what was sent; a
 * whitelist update made while blocks flow takes effect at a block boundary; a consumer that disconnects and
 * resumes misses nothing; one that stops reading is dropped while the others keep receiving.
 */
class FeedIntegrationTest {
    @Test
    void consumersSeeExactlyTheWhitelistedLogsOfEveryBlock(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        long seed = Long.getLong("poolstate.seed", 21L);
        System.out.println("feed seed=" + seed);
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults());
             EthClient ws = EthClient.open(devnet.deployment().wsUrl())) {
            FeedMetrics metrics = new FeedMetrics();
            Deployment d = devnet.deployment();
            List<PoolDescriptor> first = d.pools().subList(0, 20);
            List<PoolDescriptor> later = d.pools().subList(20, d.pools().size());
            Files.createDirectories(dir.resolve("nats"));
            NatsServerProcess nats = NatsServerProcess.start(dir.resolve("nats"));
            Connection pub = nats.connect();
            NatsServerProcess.createStream(pub);
            NatsServerProcess.publishMinimal(pub, "devnet", WhitelistMessage.full("devnet", 1, Instant.now(), first));
            WhitelistTracker whitelist = new WhitelistTracker(Set.of(d.contracts().poolManager()), WhitelistFold.Guard.NONE);
            Path socket = dir.resolve("feed.sock");
            try (nats; pub; WhitelistSubscription natsAgent = new WhitelistSubscription(NatsSettings.of(nats.url()), "whitelist.pools.devnet.minimal", whitelist, 1 << 20).start();
                 FrameServer server = new FrameServer(socket, d.chainId(), 256, new FrameServer.Limits(300, 2_000), metrics).start();
                 FeedAgent agent = new FeedAgent(ws, whitelist, server, metrics, new FeedAgent.Settings(256, Duration.ofSeconds(2), Duration.ofMillis(200))).start()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
                List<FeedBlock> a = new CopyOnWriteArrayList<>();
                FeedClient clientA = new FeedClient(socket, 0, null, a::add, FeedClient.Settings.DEFAULT).start();
                SocketChannel slow = SocketChannel.open(StandardProtocolFamily.UNIX);
                slow.connect(UnixDomainSocketAddress.of(socket));
                slow.write(ByteBuffer.wrap(FrameCodec.encode(new FeedFrame.Resume(0, Bytes32.ZERO))));
                waitFor(() -> {
                    whitelist.applyPending();
                    return whitelist.current().snapshotId() == 1;
                }, "the whitelist arrives from NATS");
                sleep(300);
                devnet.chain().mineEmpty();
                waitFor(() -> !a.isEmpty(), "consumer A gets a first block");

                List<FeedBlock> b = new CopyOnWriteArrayList<>();
                FeedClient[] clientB = {null};
                TrafficGenerator.Listener pace = new TrafficGenerator.Listener() {
                    int n;

                    @Override
                    public void onBlock(long number, List<DevChain.Mined> txs) {
                        n++;
                        if (n == 30) {
                            clientB[0] = new FeedClient(socket, 0, null, b::add, FeedClient.Settings.DEFAULT).start();
                        }
                        try {
                            if (n == 50) {
                                NatsServerProcess.publishMinimal(pub, "devnet", new WhitelistMessage(UpdateType.ADD, "devnet", 2L, 1L, Instant.now(),
                                        later, later.stream().map(PoolDescriptor::id).toList()));
                            }
                            if (n == 100) {
                                nats.stop(); // the feed goes on with the list in force
                            }
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                        if (n == 60) {
                            clientB[0].close();
                        }
                        if (n == 75) {
                            FeedFrame.Resume tip = clientB[0].tip();
                            clientB[0] = new FeedClient(socket, tip.afterBlockNumber(), tip.afterBlockHash(), b::add, FeedClient.Settings.DEFAULT).start();
                        }
                        sleep(20);
                    }
                };
                TrafficGenerator.Report report = new TrafficGenerator(devnet.chain(), d, new TrafficGenerator.Options(150, seed, 10, 20, 3)).run(pace);
                long head = devnet.eth().blockNumber();
                waitFor(() -> !a.isEmpty() && a.get(a.size() - 1).number() == head && !a.get(a.size() - 1).isRevert(), "consumer A reaches the head");
                waitFor(() -> !b.isEmpty() && b.get(b.size() - 1).number() == head, "consumer B reaches the head");
                clientA.close();
                clientB[0].close();
                slow.close();
                System.out.println("feed: traffic " + report.blocks() + " blocks, " + report.reorgs() + " reorgs; consumer A got " + a.size()
                        + " blocks, B " + b.size() + "; dropped=" + metrics.consumersDropped.count());

                Map<Long, FeedBlock> chainA = replay(a);
                Map<Long, FeedBlock> chainB = replay(b);
                Map<PoolId, PoolDescriptor> all = new HashMap<>();
                d.pools().forEach(p -> all.put(p.id(), p));
                Set<PoolId> firstIds = new HashSet<>(first.stream().map(PoolDescriptor::id).toList());
                long startA = a.get(0).number();
                int snapshot2Blocks = 0;
                for (long n = startA; n <= head; n++) {
                    FeedBlock got = chainA.get(n);
                    assertThat(got).as("block %d delivered", n).isNotNull();
                    var header = devnet.eth().header(n);
                    assertThat(got.begin().blockHash()).as("block %d is the canonical one", n).isEqualTo(header.hash());
                    Set<PoolId> wl = got.end().whitelistSnapshotId() == 1 ? firstIds : all.keySet();
                    snapshot2Blocks += got.end().whitelistSnapshotId() == 2 ? 1 : 0;
                    assertThat(describe(got.updates())).as("block %d updates", n).isEqualTo(expected(devnet.eth(), header.hash(), wl, d));
                    if (chainB.containsKey(n)) {
                        assertThat(describe(chainB.get(n).updates())).as("consumer B block %d", n).isEqualTo(describe(got.updates()));
                        assertThat(chainB.get(n).begin().blockHash()).isEqualTo(got.begin().blockHash());
                    }
                }
                long startB = b.get(0).number();
                for (long n = startB; n <= head; n++) {
                    assertThat(chainB).as("consumer B has block %d after its disconnect and resume", n).containsKey(n);
                }
                assertThat(snapshot2Blocks).as("blocks under the updated whitelist").isPositive();
                assertThat(a.stream().filter(FeedBlock::isRevert).count()).as("reverts delivered").isPositive();
                assertThat(metrics.consumersDropped.count()).as("the consumer that never reads is dropped").isGreaterThanOrEqualTo(1.0);
            }
        }
    }

    /** A reorg deeper than the kept history: consumers are told to rescrape, and the feed goes on from the new chain. */
    @Test
    void aReorgDeeperThanTheHistoryAsksConsumersToRescrape(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        int port = 20000 + Math.floorMod(getClass().getName().hashCode() + 1, 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), new DevnetDeployer.Options(3, 1, 1));
             EthClient ws = EthClient.open(devnet.deployment().wsUrl())) {
            FeedMetrics metrics = new FeedMetrics();
            WhitelistTracker whitelist = new WhitelistTracker(Set.of(devnet.deployment().contracts().poolManager()), WhitelistFold.Guard.NONE);
            whitelist.offer(WhitelistMessage.full("devnet", 1, Instant.now(), devnet.deployment().pools()));
            try (FrameServer server = new FrameServer(dir.resolve("feed.sock"), 31337, 2, new FrameServer.Limits(1000, 2_000), metrics).start();
                 FeedAgent agent = new FeedAgent(ws, whitelist, server, metrics, new FeedAgent.Settings(2, Duration.ofSeconds(2), Duration.ofMillis(200))).start()) {
                List<FeedFrame.Rescrape> rescrapes = new CopyOnWriteArrayList<>();
                List<FeedBlock> blocks = new CopyOnWriteArrayList<>();
                FeedClient client = new FeedClient(server.path(), 0, null, new FeedClient.Listener() {
                    @Override
                    public void onBlock(FeedBlock block) {
                        blocks.add(block);
                    }

                    @Override
                    public void onRescrape(FeedFrame.Rescrape r) {
                        rescrapes.add(r);
                    }
                }, FeedClient.Settings.DEFAULT).start();
                sleep(300);
                for (int i = 0; i < 5; i++) {
                    devnet.chain().mineEmpty();
                    sleep(100);
                }
                waitFor(() -> blocks.size() >= 5, "blocks before the reorg");
                devnet.chain().rollback(4);
                for (int i = 0; i < 5; i++) {
                    devnet.chain().mineEmpty();
                }
                long head = devnet.eth().blockNumber();
                waitFor(() -> !rescrapes.isEmpty(), "a rescrape frame");
                waitFor(() -> blocks.get(blocks.size() - 1).number() == head, "the feed continues on the new chain");
                assertThat(rescrapes.get(0).reason()).contains("deeper than the kept history of 2 blocks");
                assertThat(blocks.get(blocks.size() - 1).begin().blockHash()).isEqualTo(devnet.eth().header(head).hash());
                assertThat(metrics.rescrapes.count()).isEqualTo(1.0);
                client.close();
            }
        }
    }

    /** Applies a consumer's blocks in order: a revert must undo exactly the newest block it has. */
    private static Map<Long, FeedBlock> replay(List<FeedBlock> blocks) {
        Map<Long, FeedBlock> chain = new HashMap<>();
        long tip = -1;
        for (FeedBlock blk : blocks) {
            if (blk.isRevert()) {
                FeedBlock undone = chain.remove(blk.number());
                assertThat(undone).as("revert of block %d undoes a block the consumer has", blk.number()).isNotNull();
                assertThat(undone.begin().blockHash()).isEqualTo(blk.begin().blockHash());
                List<FeedFrame.PoolUpdate> reversed = new ArrayList<>(undone.updates());
                java.util.Collections.reverse(reversed);
                assertThat(blk.updates()).as("revert of block %d carries its updates in reverse", blk.number()).isEqualTo(reversed);
                assertThat(blk.number()).isEqualTo(tip);
                tip = blk.number() - 1;
            } else {
                assertThat(tip == -1 || blk.number() == tip + 1).as("block %d follows %d", blk.number(), tip).isTrue();
                chain.put(blk.number(), blk);
                tip = blk.number();
            }
        }
        return chain;
    }

    private static List<String> expected(EthClient eth, Bytes32 hash, Set<PoolId> whitelist, Deployment d) {
        List<Bytes32> topics = Arrays.stream(EventKind.values()).map(EventKind::topic0).toList();
        List<String> out = new ArrayList<>();
        for (Log l : eth.logs(LogFilter.block(hash, List.of()).withTopic0(topics))) {
            EventKind k = EventKind.byTopic0(l.topic0());
            PoolId id = k.protocol() == io.poolstate.dex.pool.Protocol.UNISWAP_V4 ? PoolId.of(l.topics().get(1)) : PoolId.of(l.address());
            boolean fromManager = k.protocol() != io.poolstate.dex.pool.Protocol.UNISWAP_V4 || l.address().equals(d.contracts().poolManager());
            if (whitelist.contains(id) && fromManager) {
                out.add(l.transactionIndex() + "/" + l.logIndex() + " " + id + " " + k + " " + l.topics().subList(1, l.topics().size())
                        + " " + io.poolstate.eth.Hex.encode(l.data()));
            }
        }
        return out;
    }

    private static List<String> describe(List<FeedFrame.PoolUpdate> updates) {
        return updates.stream().map(u -> u.txIndex() + "/" + u.logIndex() + " " + u.pool() + " " + u.kind() + " " + u.topics() + " "
                + io.poolstate.eth.Hex.encode(u.data())).toList();
    }

    private static void waitFor(java.util.function.BooleanSupplier cond, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
