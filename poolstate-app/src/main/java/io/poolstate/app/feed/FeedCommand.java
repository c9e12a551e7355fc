package io.poolstate.app.feed;

import io.poolstate.app.HostPort;
import io.poolstate.app.Home;
import io.poolstate.app.config.EnvVar;
import io.poolstate.app.options.ConfirmationOptions;
import io.poolstate.app.options.HttpLimitOptions;
import io.poolstate.app.options.MetricsOptions;
import io.poolstate.app.options.NatsOptions;
import io.poolstate.app.options.NatsReplicaOptions;
import io.poolstate.app.options.NatsStreamOptions;
import io.poolstate.feed.stream.StreamPublisher;
import io.poolstate.nats.FeedStreamWriter;
import io.poolstate.app.options.NetworkOptions;
import io.poolstate.app.options.RpcOptions;
import io.poolstate.dex.network.NetworkPreset;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.eth.Address;
import io.poolstate.feed.chain.FeedAgent;
import io.poolstate.feed.socket.FrameServer;
import io.poolstate.protocol.whitelist.PoolsFile;
import io.poolstate.protocol.whitelist.WhitelistFold;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./poolstate feed}: follow the chain and stream whitelisted pool events over a Unix socket. */
@Command(name = "feed", mixinStandardHelpOptions = true, description = "Follow the chain, stream whitelisted pool events over a Unix socket")
public final class FeedCommand implements Callable<Integer> {
    @Mixin
    NetworkOptions network;

    @Mixin
    RpcOptions rpc;

    @Mixin
    NatsOptions nats;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    HttpLimitOptions httpLimits;

    @Mixin
    ConfirmationOptions confirmation;

    @EnvVar("POOLSTATE_FEED_SOCKET")
    @Option(names = "--socket", paramLabel = "PATH", description = "Unix socket to serve (default: $POOLSTATE_HOME/feed.sock; env POOLSTATE_FEED_SOCKET).")
    Path socket;

    @Option(names = "--socket-mode", paramLabel = "MODE", defaultValue = "600",
            description = "The socket file's permissions, octal; 660 lets the socket's group connect (default: ${DEFAULT-VALUE}).")
    String socketMode;

    @Option(names = "--pools", description = "Whitelist file (a 'full' message, full or minimal format, or a bare list); without --nats, NATS is not used.")
    Path pools;

    @Option(names = "--pool-manager", split = ",", paramLabel = "ADDRESS",
            description = "V4 PoolManager(s) (default: the V4 pools' factory from --pools, else the network's).")
    List<String> poolManagers;

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

    @Mixin
    NatsReplicaOptions replicas;

    @Mixin
    NatsStreamOptions stream;

    @Option(names = "--publish-nats", arity = "0..1", fallbackValue = "", paramLabel = "URL",
            description = "Also publish every block to the chain's JetStream stream feed.<chain id>.blocks — on these NATS servers, or without a value on "
                    + "--nats (authentication and TLS as for --nats) — while this feed holds the chain's lease (other feeds of the chain follow, ready to take over).")
    String publishNats;

    @Option(names = "--feed-id", paramLabel = "ID", description = "This feed's name in the lease and the stream (default: host name and process id).")
    String feedId;

    @Option(names = "--lease-ttl", paramLabel = "DURATION", defaultValue = "10s",
            description = "With --publish-nats: the lease lives this long after its last renewal (renewed every quarter); a follower takes over this long after the active feed stopped (default: ${DEFAULT-VALUE}).")
    Duration leaseTtl;

    @Option(names = "--stream-max-msgs", paramLabel = "N", defaultValue = "100000",
            description = "With --publish-nats: block messages the stream keeps, the oldest dropped first (default: ${DEFAULT-VALUE}).")
    long streamMaxMsgs;

    @Option(names = "--nats-replace-every", paramLabel = "N", defaultValue = "100",
            description = "With --publish-nats: a replacing pool set at least every N blocks, where consumers can join (default: ${DEFAULT-VALUE}).")
    int replaceEvery;

    @Override
    public Integer call() throws Exception {
        httpLimits.install();
        var list = pools == null ? null : PoolsFile.read(pools);
        Set<Address> managers = new LinkedHashSet<>();
        if (poolManagers != null && !poolManagers.isEmpty()) {
            managers.addAll(network.addresses(poolManagers, NetworkPreset::poolManager));
        } else if (list == null || list.pools().stream().noneMatch(p -> p.factory() != null && p.protocol() == Protocol.UNISWAP_V4)) {
            managers.addAll(network.addresses(null, NetworkPreset::poolManager));
        }
        String rpcUrl = rpc.url(network, true);
        network.checkNode(rpcUrl);
        HostPort hp = metrics.endpoint("127.0.0.1:9464");
        FeedService.Config config = new FeedService.Config(rpcUrl, socket != null ? socket : Home.dir().resolve("feed.sock"), socketMode(socketMode),
                list, nats.settings(list == null || nats.given() ? NatsOptions.LOCAL : null), network.chain(), managers,
                hp == null ? "127.0.0.1" : hp.host(), hp == null ? -1 : hp.port(), historyBlocks, new FrameServer.Limits(queueFrames, maxRebuildBlocks),
                new WhitelistFold.Guard(allowEmpty, maxShrink, WhitelistFold.Guard.DEFAULT.minPools()),
                new FeedAgent.Settings(historyBlocks, Duration.ofSeconds(5), Duration.ofMillis(500), list == null, confirmation.confirmation()),
                publishNats != null ? new StreamPublisher.Settings(feedId != null ? feedId : defaultFeedId(),
                        new FeedStreamWriter.Limits(streamMaxMsgs, stream.maxBytes(), replicas.replicas(), stream.duplicateWindow()), leaseTtl, replaceEvery,
                        historyBlocks) : null,
                publishNats == null ? null : publishNats.isBlank() ? nats.settings(NatsOptions.LOCAL)
                        : nats.settings(NatsOptions.LOCAL).withServers(publishNats.trim()));
        CountDownLatch stop = new CountDownLatch(1);
        FeedService service = FeedService.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stop.countDown();
        }, "feed-shutdown"));
        stop.await();
        return 0;
    }

    /** The host name and this process's id: unique among the feeds of a deployment. */
    static String defaultFeedId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "feed";
        }
        return host.replace(' ', '-') + "-" + ProcessHandle.current().pid();
    }

    /**
     * An octal file mode such as {@code 600} or {@code 0660} as permissions; the owner keeps read and write.
     *
     * @throws IllegalArgumentException for anything else, or a mode that would let others connect
     */
    static Set<PosixFilePermission> socketMode(String octal) {
        int mode;
        try {
            mode = Integer.parseInt(octal.trim(), 8);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--socket-mode must be octal, e.g. 600 or 660: value=" + octal);
        }
        if (mode < 0 || mode > 0777 || (mode & 0600) != 0600) {
            throw new IllegalArgumentException("--socket-mode must keep the owner's rw and stay within 777: value=" + octal);
        }
        if ((mode & 0007) != 0) {
            throw new IllegalArgumentException("--socket-mode must not let other users connect (last digit 0), use a group instead: value=" + octal);
        }
        Set<PosixFilePermission> out = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                out.add(bits[i]);
            }
        }
        return out;
    }
}
