package io.poolstate.app.feed;

import io.poolstate.app.HostPort;
import io.poolstate.eth.Address;
import io.poolstate.feed.chain.FeedAgent;
import io.poolstate.protocol.whitelist.PoolsFile;
import io.poolstate.feed.socket.FrameServer;
import io.poolstate.protocol.whitelist.WhitelistFold;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./poolstate feed}: follow the chain and stream whitelisted pool events over a Unix socket. */
@Command(name = "feed", mixinStandardHelpOptions = true, description = "Follow the chain, stream whitelisted pool events over a Unix socket")
public final class FeedCommand implements Callable<Integer> {
    /** Uniswap V4's PoolManager on Ethereum mainnet. */
    static final String MAINNET_POOL_MANAGER = "0x000000000004444c5dc75cB358380D2e3dE08A90";

    @Option(names = "--rpc", defaultValue = "${env:POOLSTATE_RPC}", required = true,
            description = "Node: ws://, wss://, ipc:///path (subscriptions) or http(s):// (polling). Env POOLSTATE_RPC.")
    String rpc;

    @Option(names = "--socket", defaultValue = "${env:POOLSTATE_FEED_SOCKET}", required = true, description = "Unix socket path to serve. Env POOLSTATE_FEED_SOCKET.")
    Path socket;

    @Option(names = "--pools", description = "Whitelist file (a 'full' message, full or minimal format, or a bare list); without --nats, NATS is not used.")
    Path pools;

    @Option(names = "--nats", defaultValue = "${env:POOLSTATE_NATS_URL}", description = "NATS URL (default nats://127.0.0.1:4222 unless --pools is given).")
    String nats;

    @Option(names = "--chain", defaultValue = "${env:POOLSTATE_CHAIN:-ethereum}", description = "Chain name in NATS subjects (default: ${DEFAULT-VALUE}).")
    String chain;

    @Option(names = "--pool-manager", description = "V4 PoolManager address(es) (default: the V4 pools' factory from --pools, else mainnet's).")
    List<String> poolManagers;

    @Option(names = "--metrics", defaultValue = "${env:POOLSTATE_FEED_METRICS:-127.0.0.1:9464}", description = "Prometheus endpoint HOST:PORT, or 'off' (default: ${DEFAULT-VALUE}).")
    String metrics;

    @Option(names = "--history-blocks", defaultValue = "256", description = "Blocks kept for reorgs and resumes (default: ${DEFAULT-VALUE}).")
    int historyBlocks;

    @Option(names = "--queue-frames", defaultValue = "100000", description = "Frames a consumer may fall behind before it is dropped (default: ${DEFAULT-VALUE}).")
    int queueFrames;

    @Option(names = "--max-rebuild-blocks", defaultValue = "2000", description = "Blocks older than the history rebuilt from the node for one resuming consumer; further back it is told to rescrape (default: ${DEFAULT-VALUE}).")
    int maxRebuildBlocks;

    @Option(names = "--whitelist-max-shrink", defaultValue = "50", description = "A whitelist change that removes more than this percent of the pools at once is held, not applied (default: ${DEFAULT-VALUE}).")
    int maxShrink;

    @Option(names = "--whitelist-allow-empty", description = "Apply an empty whitelist (default: held and alerted).")
    boolean allowEmpty;

    @Override
    public Integer call() throws Exception {
        var list = pools == null ? null : PoolsFile.read(pools);
        String natsUrl = nats != null && !nats.isBlank() ? nats : pools == null ? "nats://127.0.0.1:4222" : null;
        Set<Address> managers = new LinkedHashSet<>();
        if (poolManagers != null) {
            poolManagers.forEach(m -> managers.add(Address.of(m)));
        } else if (list == null || list.pools().stream().noneMatch(p -> p.factory() != null && p.protocol() == io.poolstate.dex.pool.Protocol.UNISWAP_V4)) {
            managers.add(Address.of(MAINNET_POOL_MANAGER));
        }
        HostPort hp = HostPort.parseOrOff("--metrics", metrics);
        FeedService.Config config = new FeedService.Config(rpc, socket, list, natsUrl, chain, managers, hp == null ? "127.0.0.1" : hp.host(),
                hp == null ? -1 : hp.port(),
                historyBlocks, new FrameServer.Limits(queueFrames, maxRebuildBlocks),
                new WhitelistFold.Guard(allowEmpty, maxShrink, WhitelistFold.Guard.DEFAULT.minPools()),
                new FeedAgent.Settings(historyBlocks, Duration.ofSeconds(5), Duration.ofMillis(500), list == null));
        CountDownLatch stop = new CountDownLatch(1);
        FeedService service = FeedService.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stop.countDown();
        }, "feed-shutdown"));
        stop.await();
        return 0;
    }
}
