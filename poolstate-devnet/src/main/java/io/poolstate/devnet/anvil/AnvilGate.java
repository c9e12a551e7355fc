package io.poolstate.devnet.anvil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.poolstate.devnet.DevnetException;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.GuardedTransport;
import io.poolstate.eth.rpc.JsonRpcClient;
import io.poolstate.eth.rpc.RetryPolicy;
import io.poolstate.eth.rpc.RpcEndpoint;
import io.poolstate.eth.rpc.RpcTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anvil's HTTP JSON-RPC behind a gate that keeps reads off a block while it is being made, so that a read pinned
 * to a block — by number or by hash — always sees that block's state.
 *
 * <p>Why: Anvil commits a mined block's state to its database before it moves its head
 * ({@code crates/anvil/src/eth/backend/mem/mod.rs}, {@code do_mine_block}), and answers a read at the head from
 * that database ({@code with_database_at}); a call pinned to the head block that arrives in between reads the
 * next block's state under the head's name. A rollback is the same between resolving a hash and reading. A
 * node such as geth or reth serves a pinned block's own state; the system reads at its newest applied block —
 * often the head — so on the devnet it needs this gate to be held to the same standard.
 *
 * <p>How: every request runs under a shared lock, except requests that change the chain ({@code evm_*},
 * {@code anvil_*} and {@code hardhat_*} methods: mining, rollbacks, cheat writes), which hold it exclusively
 * while Anvil answers. Other processes go through {@link #url()}, a loopback HTTP server that forwards to Anvil;
 * this JVM's clients ({@link #client()}: the devnet's traffic, the tests' oracles and in-process arenas) take the
 * same lock around Anvil's own HTTP endpoint, without the extra hop. WebSocket and IPC stay direct
 * (subscriptions, and reads by block hash of logs and receipts, which a block carries whole once announced).
 *
 * <p>Threads: one virtual thread per request; any thread may {@link #close()}.
 */
public final class AnvilGate implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnvilGate.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A block of hundreds of mints into large pools can take Anvil minutes on a busy machine. */
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofMinutes(10);

    private final String anvilUrl;
    private final URI target;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final LongAdder shared = new LongAdder();
    private final LongAdder exclusive = new LongAdder();

    private AnvilGate(String anvilUrl) throws IOException {
        this.anvilUrl = anvilUrl;
        this.target = URI.create(anvilUrl);
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("anvil-gate-", 0).factory());
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).executor(executor).build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * A gate in front of Anvil's {@code anvilHttpUrl} on a free loopback port.
     *
     * @throws DevnetException when it cannot listen
     */
    public static AnvilGate start(String anvilHttpUrl) {
        try {
            AnvilGate g = new AnvilGate(anvilHttpUrl);
            LOG.info("anvil gate started: url={} target={}", g.url(), anvilHttpUrl);
            return g;
        } catch (IOException e) {
            throw new DevnetException("anvil gate cannot listen on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** {@code http://127.0.0.1:<port>}: the devnet's HTTP URL. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * A client of Anvil's HTTP endpoint in this JVM whose every request takes the gate's lock (no extra hop), with
     * the proxy's 10-minute time-out: a chain change that the client gave up on would release the exclusive lock
     * while Anvil is still mining (and a retry would mine twice), so it waits as long as the proxy does.
     */
    public EthClient client() {
        return client(RetryPolicy.DEFAULT.withTimeout(UPSTREAM_TIMEOUT));
    }

    public EthClient client(RetryPolicy retry) {
        ObjectMapper mapper = new ObjectMapper();
        RpcTransport http = RpcTransport.open(RpcEndpoint.parse(anvilUrl), mapper);
        return new EthClient(new JsonRpcClient(new GuardedTransport(http, this::lockFor), mapper, retry));
    }

    /** Requests forwarded or sent under the shared lock (reads) and the exclusive one (chain changes). */
    public long sharedRequests() {
        return shared.sum();
    }

    public long exclusiveRequests() {
        return exclusive.sum();
    }

    /** The exclusive lock for a request that changes the chain, else the shared one; counted. */
    private Lock lockFor(JsonNode payload) {
        if (changesChain(payload)) {
            exclusive.increment();
            return lock.writeLock();
        }
        shared.increment();
        return lock.readLock();
    }

    /** Whether a JSON-RPC request (one call or a batch) changes the chain: any {@code evm_}, {@code anvil_} or {@code hardhat_} method. */
    static boolean changesChain(JsonNode root) {
        if (root == null) {
            return false;
        }
        if (root.isArray()) {
            for (JsonNode call : root) {
                if (changes(call)) {
                    return true;
                }
            }
            return false;
        }
        return changes(root);
    }

    private static boolean changes(JsonNode call) {
        String m = call.path("method").asText("");
        return m.startsWith("evm_") || m.startsWith("anvil_") || m.startsWith("hardhat_");
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            byte[] body;
            try {
                body = ex.getRequestBody().readAllBytes();
            } catch (IOException e) {
                reply(ex, 400, "request body unreadable: " + e.getMessage());
                return;
            }
            JsonNode payload;
            try {
                payload = JSON.readTree(body);
            } catch (IOException e) {
                payload = null; // Anvil answers the parse error; nothing changes
            }
            Lock l = lockFor(payload);
            HttpResponse<byte[]> answer;
            l.lock();
            try {
                answer = client.send(HttpRequest.newBuilder(target).timeout(UPSTREAM_TIMEOUT).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            } finally {
                l.unlock();
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            ex.getResponseBody().write(answer.body());
        } catch (IOException e) {
            reply(ex, 502, "anvil unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(ex, 503, "anvil gate closing");
        } catch (RuntimeException e) {
            LOG.error("anvil gate request failed: url={} reason={}", url(), e.toString(), e);
            reply(ex, 500, "anvil gate failed: " + e);
        }
    }

    private static void reply(HttpExchange ex, int status, String reason) {
        try {
            byte[] b = reason.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
        } catch (IOException | RuntimeException ignored) {
            // the client is gone or the headers went out already
        }
    }

    @Override
    public void close() {
        server.stop(0);
        client.shutdownNow();
        executor.shutdownNow();
        LOG.info("anvil gate closed: url={} shared={} exclusive={}", url(), shared.sum(), exclusive.sum());
    }
}
