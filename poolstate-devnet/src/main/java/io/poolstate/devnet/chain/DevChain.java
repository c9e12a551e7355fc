package io.poolstate.devnet.chain;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolstate.devnet.DevnetException;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.JsonRpcClient;
import io.poolstate.eth.rpc.RpcErrorResponseException;
import io.poolstate.eth.rpc.TransactionReceipt;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives an Anvil devnet from one unlocked account: queues transactions with explicit nonces, mines them
 * into one block with a chosen timestamp, returns their receipts, and wraps Anvil's cheat RPCs
 * (set code, set balance, roll back). Owned by one thread at a time (not thread-safe).
 */
public final class DevChain {
    /** A queued transaction and, once mined, its receipt. */
    public record Mined(String label, Bytes32 hash, TransactionReceipt receipt, Address from, Address to, byte[] data, BigInteger value) {
        public boolean success() {
            return receipt.success();
        }
    }

    private record Queued(String label, Address to, byte[] data, BigInteger value, long gas) {
    }

    private final EthClient eth;
    private final Address from;
    private final long blockInterval;
    private final List<Queued> queue = new ArrayList<>();
    private long nonce;
    private long lastTimestamp;

    public DevChain(EthClient eth, Address from, long blockIntervalSeconds) {
        this.eth = eth;
        this.from = from;
        this.blockInterval = blockIntervalSeconds;
        resync(0);
    }

    public EthClient eth() {
        return eth;
    }

    public Address from() {
        return from;
    }

    /** Queues a call; nothing is sent until {@link #mine()}. */
    public void queue(String label, Address to, byte[] data, BigInteger value, long gas) {
        queue.add(new Queued(label, to, data, value == null ? BigInteger.ZERO : value, gas));
    }

    /** Queues a contract creation. */
    public void queueDeploy(String label, byte[] creationCode, long gas) {
        queue.add(new Queued(label, null, creationCode, BigInteger.ZERO, gas));
    }

    public int queued() {
        return queue.size();
    }

    /**
     * Sends every queued transaction (one JSON-RPC batch), mines one block {@code blockInterval} seconds after
     * the previous one, and returns the receipts in queue order.
     */
    public List<Mined> mine() {
        List<Queued> batch = new ArrayList<>(queue);
        queue.clear();
        List<Bytes32> hashes = send(batch);
        lastTimestamp += blockInterval;
        eth.rpc().call("evm_mine", lastTimestamp);
        return receipts(batch, hashes);
    }

    /**
     * Mines the queue in blocks of at most {@code maxPerBlock} transactions and requires every one to succeed;
     * a revert names the transaction and its reason.
     */
    public List<Mined> mineAll(int maxPerBlock) {
        List<Queued> all = new ArrayList<>(queue);
        queue.clear();
        List<Mined> mined = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i += maxPerBlock) {
            queue.addAll(all.subList(i, Math.min(all.size(), i + maxPerBlock)));
            mined.addAll(mine());
        }
        for (Mined m : mined) {
            if (!m.success()) {
                throw new DevnetException(m.label() + " reverted: tx=" + m.hash() + " block=" + m.receipt().blockNumber()
                        + " reason=" + revertReason(m));
            }
        }
        return mined;
    }

    /** Mines an empty block. */
    public void mineEmpty() {
        lastTimestamp += blockInterval;
        eth.rpc().call("evm_mine", lastTimestamp);
    }

    /**
     * Undoes the last {@code depth} blocks ({@code anvil_rollback}); their transactions are gone. The next
     * block gets a timestamp one second later than the orphaned one at its height would have had, so its
     * hash differs even if it holds the same transactions.
     */
    public void rollback(int depth) {
        eth.rpc().call("anvil_rollback", depth);
        resync(1);
    }

    public void setCode(Address at, byte[] code) {
        eth.rpc().call("anvil_setCode", at.toString(), Hex.encode(code));
    }

    /** One storage slot to overwrite. */
    public record StorageWrite(Address account, Bytes32 slot, Bytes32 value) {
    }

    /** {@code anvil_setStorageAt} for every write, in JSON-RPC batches of 5,000; takes effect in the next block. */
    public void setStorage(List<StorageWrite> writes) {
        for (int i = 0; i < writes.size(); i += 5000) {
            List<JsonRpcClient.Call> calls = new ArrayList<>();
            for (StorageWrite w : writes.subList(i, Math.min(writes.size(), i + 5000))) {
                calls.add(new JsonRpcClient.Call("anvil_setStorageAt", List.of(w.account().toString(), w.slot().toString(), w.value().toString())));
            }
            eth.rpc().batchResults(calls);
        }
    }

    public void setBalance(Address account, BigInteger wei) {
        eth.rpc().call("anvil_setBalance", account.toString(), Hex.quantity(wei));
    }

    /** The latest block's header. */
    public BlockHeader head() {
        return eth.latestHeader();
    }

    /** The reason a mined transaction reverted, by replaying it with {@code eth_call} on its parent block. */
    public String revertReason(Mined m) {
        try {
            eth.call(m.from(), m.to(), m.data(), m.value(), BlockRef.number(m.receipt().blockNumber() - 1));
            return "(no revert when replayed on the parent block)";
        } catch (RpcErrorResponseException e) {
            return decodeRevert(e.data(), e.nodeMessage());
        }
    }

    /** Decodes {@code Error(string)} revert data; otherwise returns the node's message and raw data. */
    public static String decodeRevert(String data, String nodeMessage) {
        if (data != null && data.startsWith("0x08c379a0") && data.length() >= 10 + 128) {
            byte[] raw = Hex.decode(data.substring(10));
            int len = new BigInteger(1, java.util.Arrays.copyOfRange(raw, 32, 64)).intValue();
            return "'" + new String(raw, 64, Math.min(len, raw.length - 64), StandardCharsets.UTF_8) + "'";
        }
        return nodeMessage + (data == null ? "" : " data=" + data);
    }

    private void resync(long extraSeconds) {
        nonce = eth.transactionCount(from, BlockRef.latest());
        lastTimestamp = eth.latestHeader().timestamp() + extraSeconds;
    }

    private List<Bytes32> send(List<Queued> batch) {
        List<JsonRpcClient.Call> calls = new ArrayList<>(batch.size());
        for (Queued q : batch) {
            Map<String, Object> tx = new LinkedHashMap<>();
            tx.put("from", from.toString());
            if (q.to() != null) {
                tx.put("to", q.to().toString());
            }
            tx.put("data", Hex.encode(q.data()));
            tx.put("gas", Hex.quantity(q.gas()));
            tx.put("nonce", Hex.quantity(nonce++));
            if (q.value().signum() > 0) {
                tx.put("value", Hex.quantity(q.value()));
            }
            calls.add(new JsonRpcClient.Call("eth_sendTransaction", List.of(tx)));
        }
        List<Bytes32> hashes = new ArrayList<>(batch.size());
        List<JsonRpcClient.Outcome> outcomes = eth.rpc().batch(calls);
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) instanceof JsonRpcClient.Failure f) {
                resync(0);
                throw new DevnetException("node rejected transaction " + batch.get(i).label() + ": " + f.error().nodeMessage());
            }
            hashes.add(Bytes32.of(((JsonRpcClient.Success) outcomes.get(i)).result().asText()));
        }
        return hashes;
    }

    private List<Mined> receipts(List<Queued> batch, List<Bytes32> hashes) {
        List<JsonRpcClient.Call> calls = new ArrayList<>(hashes.size());
        hashes.forEach(h -> calls.add(new JsonRpcClient.Call("eth_getTransactionReceipt", List.of(h.toString()))));
        List<JsonNode> results = eth.rpc().batchResults(calls);
        List<Mined> out = new ArrayList<>(hashes.size());
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).isNull()) {
                throw new DevnetException("transaction " + batch.get(i).label() + " was not mined: tx=" + hashes.get(i));
            }
            Queued q = batch.get(i);
            out.add(new Mined(q.label(), hashes.get(i), TransactionReceipt.fromJson(results.get(i)), from, q.to(), q.data(), q.value()));
        }
        return out;
    }
}
