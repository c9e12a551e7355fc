package io.poolstate.eth.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed Ethereum JSON-RPC: chain id, heads, logs, calls, receipts, and new-head notifications
 * (subscription on WebSocket/IPC, polling on HTTP). Safe for concurrent callers.
 */
public final class EthClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EthClient.class);

    private final JsonRpcClient rpc;

    public EthClient(JsonRpcClient rpc) {
        this.rpc = rpc;
    }

    /** Opens a client for {@code url} ({@code http(s)://}, {@code ws(s)://}, {@code ipc:///path}). */
    public static EthClient open(String url) {
        return new EthClient(JsonRpcClient.open(url));
    }

    public static EthClient open(String url, RetryPolicy retry) {
        return new EthClient(JsonRpcClient.open(RpcEndpoint.parse(url), retry));
    }

    /** The underlying JSON-RPC client, for node-specific methods. */
    public JsonRpcClient rpc() {
        return rpc;
    }

    public long chainId() {
        return Hex.parseLong(rpc.call("eth_chainId").asText());
    }

    public long blockNumber() {
        return Hex.parseLong(rpc.call("eth_blockNumber").asText());
    }

    /** The header at {@code number}, or null when the node has no such block. */
    public BlockHeader header(long number) {
        JsonNode b = rpc.call("eth_getBlockByNumber", Hex.quantity(number), false);
        return b.isNull() ? null : BlockHeader.fromJson(b);
    }

    /** The header with {@code hash}, or null when unknown. */
    public BlockHeader header(Bytes32 hash) {
        JsonNode b = rpc.call("eth_getBlockByHash", hash.toString(), false);
        return b.isNull() ? null : BlockHeader.fromJson(b);
    }

    /** The node's {@code finalized} block, or null when it has none (a chain without finality answers null or an error). */
    public BlockHeader finalizedHeader() {
        JsonNode b = rpc.call("eth_getBlockByNumber", "finalized", false);
        return b.isNull() ? null : BlockHeader.fromJson(b);
    }

    public BlockHeader latestHeader() {
        return BlockHeader.fromJson(rpc.call("eth_getBlockByNumber", "latest", false));
    }

    /** Headers for consecutive numbers in one batch; a missing block ends the list early. */
    public List<BlockHeader> headers(long from, long to) {
        List<JsonRpcClient.Call> calls = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            calls.add(new JsonRpcClient.Call("eth_getBlockByNumber", List.of(Hex.quantity(n), false)));
        }
        List<BlockHeader> out = new ArrayList<>();
        for (JsonNode b : rpc.batchResults(calls)) {
            if (b.isNull()) {
                break;
            }
            out.add(BlockHeader.fromJson(b));
        }
        return out;
    }

    public List<Log> logs(LogFilter filter) {
        JsonNode arr = rpc.call("eth_getLogs", filter.toParam());
        List<Log> out = new ArrayList<>(arr.size());
        for (JsonNode l : arr) {
            out.add(Log.fromJson(l));
        }
        return out;
    }

    /** {@code eth_call} of {@code data} on {@code to} at {@code block}; returns the raw return data. */
    public byte[] call(Address to, byte[] data, BlockRef block) {
        return call(null, to, data, null, block);
    }

    /** {@code eth_call} with an explicit sender and value (wei), for simulations. */
    public byte[] call(Address from, Address to, byte[] data, BigInteger value, BlockRef block) {
        Map<String, Object> tx = new LinkedHashMap<>();
        if (from != null) {
            tx.put("from", from.toString());
        }
        tx.put("to", to.toString());
        tx.put("data", Hex.encode(data));
        if (value != null && value.signum() > 0) {
            tx.put("value", Hex.quantity(value));
        }
        return Hex.decode(rpc.call("eth_call", tx, block.param()).asText());
    }

    /** Submits a transaction signed by the node (dev nodes only). Not retried: a retry could send it twice. */
    public Bytes32 sendTransaction(Map<String, Object> tx) {
        return Bytes32.of(rpc.call(RetryPolicy.NONE, "eth_sendTransaction", List.of(tx)).asText());
    }

    /** The hashes of a block's transactions in order, or null when the node does not know the block. */
    public List<Bytes32> transactionHashes(Bytes32 blockHash) {
        JsonNode b = rpc.call("eth_getBlockByHash", blockHash.toString(), false);
        if (b.isNull()) {
            return null;
        }
        List<Bytes32> out = new ArrayList<>();
        for (JsonNode t : b.path("transactions")) {
            out.add(Bytes32.of(t.asText()));
        }
        return out;
    }

    /** The receipt, or null while the transaction is not mined. */
    public TransactionReceipt receipt(Bytes32 txHash) {
        JsonNode r = rpc.call("eth_getTransactionReceipt", txHash.toString());
        return r.isNull() ? null : TransactionReceipt.fromJson(r);
    }

    public byte[] code(Address address, BlockRef block) {
        return Hex.decode(rpc.call("eth_getCode", address.toString(), block.param()).asText());
    }

    /** Balance in wei. */
    public BigInteger balance(Address address, BlockRef block) {
        return Hex.parseBig(rpc.call("eth_getBalance", address.toString(), block.param()).asText());
    }

    public long transactionCount(Address address, BlockRef block) {
        return Hex.parseLong(rpc.call("eth_getTransactionCount", address.toString(), block.param()).asText());
    }

    public Bytes32 storageAt(Address address, Bytes32 slot, BlockRef block) {
        String v = rpc.call("eth_getStorageAt", address.toString(), slot.toString(), block.param()).asText();
        return Bytes32.of(Hex.parseBig(v));
    }

    /**
     * Delivers new heads: by {@code eth_subscribe("newHeads")} on WebSocket/IPC, else by polling every
     * {@code pollInterval}. Heads may skip numbers or repeat a number with a new hash (reorg); the consumer
     * decides what to do. {@code onEnd} is called once if a subscription ends because the connection dropped.
     */
    public AutoCloseable newHeads(Consumer<BlockHeader> onHead, Consumer<RpcException> onEnd, Duration pollInterval) {
        if (rpc.supportsSubscriptions()) {
            return rpc.subscribe(List.of("newHeads"), n -> onHead.accept(BlockHeader.fromJson(n)), onEnd);
        }
        return new HeadPoller(onHead, pollInterval).start();
    }

    @Override
    public void close() {
        rpc.close();
    }

    /** Polls the latest header on a virtual thread; reports each new (number, hash). */
    private final class HeadPoller implements AutoCloseable {
        private final Consumer<BlockHeader> onHead;
        private final Duration interval;
        private volatile boolean running = true;
        private Thread thread;

        HeadPoller(Consumer<BlockHeader> onHead, Duration interval) {
            this.onHead = onHead;
            this.interval = interval;
        }

        HeadPoller start() {
            thread = Thread.ofVirtual().name("head-poller").start(this::run);
            return this;
        }

        private void run() {
            Bytes32 lastHash = null;
            boolean failing = false;
            while (running) {
                try {
                    BlockHeader h = latestHeader();
                    if (failing) {
                        LOG.info("head polling recovered: endpoint={} head={}", rpc.endpoint(), h.number());
                        failing = false;
                    }
                    if (!h.hash().equals(lastHash)) {
                        lastHash = h.hash();
                        onHead.accept(h);
                    }
                } catch (RpcException | IllegalArgumentException e) {
                    if (!failing) {
                        LOG.warn("head polling failing: endpoint={} reason={}", rpc.endpoint(), e.getMessage());
                        failing = true;
                    }
                } catch (RuntimeException e) {
                    // the receiver failed: it is not this poller's to judge; report and keep polling
                    LOG.error("head receiver failed, polling on: endpoint={} reason={}", rpc.endpoint(), e.toString(), e);
                }
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}
