package io.poolstate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import io.poolstate.eth.Keccak256;
import io.poolstate.whitelist.discovery.PoolIndexer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A JSON-RPC endpoint in front of a restored devnet that answers {@code eth_getLogs} with the pools' creation events:
 * a devnet restored from its saved state has no receipts, so the node itself returns no logs. The events are the
 * ones the deployment emitted, rebuilt from its pool list — V2 {@code PairCreated} from the V2 factory, V3
 * {@code PoolCreated} from the V3 factory, V4 {@code Initialize} from the PoolManager (price word 2^96, tick 0: the
 * indexer does not read them) — spread over blocks 1..{@code head}, filtered by the request's block range, addresses
 * and topic0. Every other request (and a batch) is passed to the node unchanged. For discovery only: the pool
 * state is read from the node directly.
 */
final class CreationLogServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One rebuilt log, with what a filter selects it by. */
    private record Entry(long block, Address address, Bytes32 topic0, ObjectNode json) {
    }

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI node;
    private final List<Entry> logs;

    private CreationLogServer(HttpServer server, URI node, List<Entry> logs) {
        this.server = server;
        this.node = node;
        this.logs = logs;
    }

    /** Serves the creation events of {@code d}'s pools on a free loopback port, in front of its node; {@code head}: the node's head block. */
    static CreationLogServer start(Deployment d, long head) throws IOException {
        List<PoolDescriptor> pools = d.pools();
        List<Entry> logs = new ArrayList<>(pools.size());
        for (int i = 0; i < pools.size(); i++) {
            PoolDescriptor p = pools.get(i);
            Address emitter = switch (p.protocol()) {
                case UNISWAP_V2 -> d.contracts().v2Factory();
                case UNISWAP_V3 -> d.contracts().v3Factory();
                case UNISWAP_V4 -> d.contracts().poolManager();
            };
            logs.add(creation(p, emitter, 1 + (long) i * Math.max(1, head - 1) / pools.size(), i));
        }
        String node = d.httpUrl();
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        CreationLogServer out = new CreationLogServer(s, URI.create(node), logs);
        s.createContext("/", out::handle);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.start();
        return out;
    }

    /** The endpoint's URL. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            JsonNode req = JSON.readTree(body);
            byte[] answer;
            if (req.isObject() && "eth_getLogs".equals(req.path("method").asText())) {
                ObjectNode r = JSON.createObjectNode();
                r.put("jsonrpc", "2.0");
                r.set("id", req.get("id"));
                r.set("result", select(req.path("params").path(0)));
                answer = JSON.writeValueAsBytes(r);
            } else {
                HttpRequest forward = HttpRequest.newBuilder(node).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                answer = client.send(forward, HttpResponse.BodyHandlers.ofByteArray()).body();
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ArrayNode select(JsonNode filter) {
        long from = Hex.parseLong(filter.path("fromBlock").asText("0x0"));
        long to = Hex.parseLong(filter.path("toBlock").asText("0x0"));
        Set<Address> addresses = new HashSet<>();
        JsonNode a = filter.path("address");
        if (a.isArray()) {
            a.forEach(n -> addresses.add(Address.of(n.asText())));
        } else if (a.isTextual()) {
            addresses.add(Address.of(a.asText()));
        }
        Set<Bytes32> topics = new HashSet<>();
        JsonNode t = filter.path("topics").path(0);
        if (t.isArray()) {
            t.forEach(n -> topics.add(Bytes32.of(n.asText())));
        } else if (t.isTextual()) {
            topics.add(Bytes32.of(t.asText()));
        }
        ArrayNode out = JSON.createArrayNode();
        for (Entry e : logs) {
            if (e.block() >= from && e.block() <= to && (addresses.isEmpty() || addresses.contains(e.address()))
                    && (topics.isEmpty() || topics.contains(e.topic0()))) {
                out.add(e.json());
            }
        }
        return out;
    }

    private static Entry creation(PoolDescriptor p, Address emitter, long block, int index) {
        List<Bytes32> topics;
        byte[] data;
        switch (p.protocol()) {
            case UNISWAP_V2 -> {
                topics = List.of(PoolIndexer.PAIR_CREATED, word(p.token0().address()), word(p.token1().address()));
                data = concat(word(p.id().address()), Bytes32.of(BigInteger.valueOf(index + 1)));
            }
            case UNISWAP_V3 -> {
                topics = List.of(PoolIndexer.POOL_CREATED, word(p.token0().address()), word(p.token1().address()),
                        Bytes32.of(BigInteger.valueOf(p.fee())));
                data = concat(signed(p.tickSpacing()), word(p.id().address()));
            }
            case UNISWAP_V4 -> {
                topics = List.of(EventKind.V4_INITIALIZE.topic0(), p.id().v4Id(), word(p.token0().address()), word(p.token1().address()));
                data = concat(Bytes32.of(BigInteger.valueOf(p.fee())), signed(p.tickSpacing()), word(p.hooks() == null ? Address.ZERO : p.hooks()),
                        Bytes32.of(BigInteger.ONE.shiftLeft(96)), Bytes32.ZERO);
            }
            default -> throw new IllegalArgumentException("no creation event for protocol " + p.protocol());
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("address", emitter.toString());
        ArrayNode ts = json.putArray("topics");
        topics.forEach(x -> ts.add(x.toString()));
        json.put("data", Hex.encode(data));
        json.put("blockNumber", Hex.quantity(block));
        json.put("blockHash", Bytes32.wrap(Keccak256.hash(("block-" + block).getBytes())).toString());
        json.put("transactionHash", Bytes32.wrap(Keccak256.hash(("tx-" + index).getBytes())).toString());
        json.put("transactionIndex", Hex.quantity(0));
        json.put("logIndex", Hex.quantity(index));
        json.put("removed", false);
        return new Entry(block, emitter, topics.get(0), json);
    }

    private static Bytes32 word(Address a) {
        byte[] w = new byte[32];
        System.arraycopy(a.toBytes(), 0, w, 12, 20);
        return Bytes32.wrap(w);
    }

    private static Bytes32 signed(int v) {
        return Bytes32.of(v >= 0 ? BigInteger.valueOf(v) : BigInteger.valueOf(v).add(BigInteger.ONE.shiftLeft(256)));
    }

    private static byte[] concat(Bytes32... words) {
        byte[] out = new byte[32 * words.length];
        for (int i = 0; i < words.length; i++) {
            System.arraycopy(words[i].toBytes(), 0, out, 32 * i, 32);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
