package io.poolstate.bench;

import io.poolstate.dex.event.LogEncoder;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Keccak256;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.Log;
import io.poolstate.feed.chain.FeedAgent;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.FeedClient;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.BlockFrames;
import io.poolstate.feed.socket.FrameServer;
import io.poolstate.feed.whitelist.WhitelistTracker;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The feed without the node: (1) latency from having a block's logs to its EndBlock received by a consumer on
 * the socket, for blocks of 200 whitelisted-pool events (plus 200 from other pools) under a 5,000-pool
 * whitelist; (2) PoolUpdate frames per second to one consumer. Usage:
 * {@code java -cp benchmarks.jar io.poolstate.bench.FeedHarness [blocks]}.
 */
public final class FeedHarness {
    private FeedHarness() {
    }

    public static void main(String[] args) throws Exception {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        Path dir = Files.createTempDirectory("feed-bench");
        SplittableRandom r = new SplittableRandom(1);
        Address manager = Address.of("0x000000000004444c5dc75cb358380d2e3de08a90");
        List<PoolId> whitelisted = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            whitelisted.add(PoolId.of(Address.of(BigInteger.valueOf(0x100000L + i))));
        }
        for (int i = 0; i < 1000; i++) {
            whitelisted.add(PoolId.of(Bytes32.wrap(Keccak256.hash(BigInteger.valueOf(i).toByteArray()))));
        }
        {
            FeedMetrics metrics = new FeedMetrics();
            WhitelistTracker tracker = new WhitelistTracker(Set.of(manager), WhitelistFold.Guard.NONE);
            tracker.offer(new WhitelistMessage(io.poolstate.protocol.whitelist.UpdateType.FULL, "bench", 1L, null, null, List.of(), whitelisted));
            AtomicLongArray received = new AtomicLongArray(blocks + 2);
            AtomicLong updates = new AtomicLong();
            try (FrameServer server = new FrameServer(dir.resolve("feed.sock"), 1, 256, new FrameServer.Limits(4_000_000, 2_000), metrics).start();
                 FeedClient client = new FeedClient(server.path(), 0, null, new FeedClient.Listener() {
                     @Override
                     public void onBlock(FeedBlock b) {
                         updates.addAndGet(b.updates().size());
                         if (b.number() < received.length()) {
                             received.set((int) b.number(), System.nanoTime());
                         }
                     }
                 }, FeedClient.Settings.DEFAULT).start()) {
                FeedAgent agent = new FeedAgent(null, tracker, server, metrics, FeedAgent.Settings.DEFAULT);
                while (server.consumers() == 0) {
                    Thread.sleep(10);
                }
                Thread.sleep(200);
                long[] latency = new long[blocks];
                Bytes32 parent = Bytes32.ZERO;
                for (int n = 1; n <= blocks; n++) {
                    List<Log> logs = block(n, r, whitelisted, manager);
                    Bytes32 hash = Bytes32.wrap(Keccak256.hash(BigInteger.valueOf(n).toByteArray()));
                    BlockHeader h = new BlockHeader(n, hash, parent, 1_900_000_000L + n);
                    parent = hash;
                    long t0 = System.nanoTime();
                    agent.publish(h, logs);
                    while (received.get(n) == 0) {
                        Thread.onSpinWait();
                    }
                    latency[n - 1] = received.get(n) - t0;
                }
                long[] warm = Arrays.copyOfRange(latency, blocks / 3, blocks);
                Arrays.sort(warm);
                System.out.printf("latency (logs in hand -> EndBlock received by the consumer), 200 whitelisted + 200 other events, 5,000-pool whitelist:%n");
                System.out.printf("  median %.1f us, p90 %.1f us, p99 %.1f us over %d blocks (first third discarded as warm-up)%n",
                        warm[warm.length / 2] / 1e3, warm[warm.length * 9 / 10] / 1e3, warm[warm.length * 99 / 100] / 1e3, warm.length);

                // throughput: pre-encoded blocks of 5,000 updates each, published back to back
                List<FeedFrame.PoolUpdate> big = new ArrayList<>();
                for (Log l : block(0, r, whitelisted, manager)) {
                    var e = EventKind.byTopic0(l.topic0());
                    PoolId id = e.protocol() == io.poolstate.dex.pool.Protocol.UNISWAP_V4 ? PoolId.of(l.topics().get(1)) : PoolId.of(l.address());
                    big.add(new FeedFrame.PoolUpdate(0, l.transactionIndex(), l.logIndex(), l.transactionHash(), id, e, l.topics().subList(1, l.topics().size()), l.data()));
                }
                int perBlock = 5000;
                int bigBlocks = 200;
                long start = blocks + 10;
                for (int round = 1; round <= 7; round++) {
                    throughput(server, updates, big, perBlock, bigBlocks, start + (round - 1) * bigBlocks, round, tracker.current());
                }
            }
        }
    }

    private static void throughput(FrameServer server, AtomicLong updates, List<FeedFrame.PoolUpdate> big, int perBlock, int bigBlocks, long start,
                                   int round, io.poolstate.feed.whitelist.Whitelist pools) throws InterruptedException {
                List<BlockFrames> prepared = new ArrayList<>();
                for (int b = 0; b < bigBlocks; b++) {
                    List<FeedFrame.PoolUpdate> us = new ArrayList<>(perBlock);
                    for (int i = 0; i < perBlock; i++) {
                        FeedFrame.PoolUpdate t = big.get(i % big.size());
                        us.add(new FeedFrame.PoolUpdate(start + b, i / 10, i, t.txHash(), t.pool(), t.kind(), t.topics(), t.data()));
                    }
                    prepared.add(BlockFrames.of(start + b, Bytes32.of(BigInteger.valueOf(start + b)), Bytes32.ZERO, 0, us, pools, pools));
                }
                long before = updates.get();
                long t0 = System.nanoTime();
                prepared.forEach(server::publishCommit);
                long target = before + (long) perBlock * bigBlocks;
                while (updates.get() < target) {
                    Thread.sleep(1);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("throughput round %d: %d PoolUpdate frames in %.2f s = %.0f frames/s to one consumer (decoded and validated by FeedClient)%n",
                        round, (long) perBlock * bigBlocks, seconds, perBlock * bigBlocks / seconds);
    }

    /** 200 whitelisted-pool logs (V2 Sync, V3 Swap, V4 Swap) and 200 from pools not on the list. */
    private static List<Log> block(long n, SplittableRandom r, List<PoolId> whitelisted, Address manager) {
        List<Log> logs = new ArrayList<>(400);
        Bytes32 tx = Bytes32.wrap(Keccak256.hash(BigInteger.valueOf(n + 7).toByteArray()));
        for (int i = 0; i < 400; i++) {
            boolean listed = i % 2 == 0;
            PoolId id = listed ? whitelisted.get(r.nextInt(whitelisted.size())) : PoolId.of(Address.of(BigInteger.valueOf(0x900000L + i)));
            byte[] data;
            List<Bytes32> topics = new ArrayList<>();
            Address emitter;
            if (id.isV4()) {
                emitter = manager;
                topics.add(EventKind.V4_SWAP.topic0());
                topics.add(id.v4Id());
                topics.add(LogEncoder.word(BigInteger.ONE));
                data = LogEncoder.words(BigInteger.valueOf(-5), BigInteger.valueOf(9), BigInteger.ONE.shiftLeft(96), BigInteger.TEN.pow(18), BigInteger.ONE, BigInteger.valueOf(3000));
            } else if (i % 3 == 0) {
                emitter = id.address();
                topics.add(EventKind.V2_SYNC.topic0());
                data = LogEncoder.words(BigInteger.valueOf(r.nextLong(1, Long.MAX_VALUE)), BigInteger.valueOf(r.nextLong(1, Long.MAX_VALUE)));
            } else {
                emitter = id.address();
                topics.add(EventKind.V3_SWAP.topic0());
                topics.add(LogEncoder.word(BigInteger.ONE));
                topics.add(LogEncoder.word(BigInteger.TWO));
                data = LogEncoder.words(BigInteger.valueOf(-5), BigInteger.valueOf(9), BigInteger.ONE.shiftLeft(96), BigInteger.TEN.pow(18), BigInteger.valueOf(-3));
            }
            logs.add(new Log(emitter, topics, data, n, Bytes32.ZERO, tx, i / 4, i, false));
        }
        return logs;
    }
}
