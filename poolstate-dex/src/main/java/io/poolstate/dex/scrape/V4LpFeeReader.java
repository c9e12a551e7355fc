package io.poolstate.dex.scrape;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.v4.V4StateLayout;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.JsonRpcClient;
import io.poolstate.eth.rpc.RpcErrorResponseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads V4 pools' slot0 — price, tick, protocol fee and LP fee — at one block, for many pools in one JSON-RPC
 * request: one {@code extsload(bytes32[])} {@code eth_call} per PoolManager (and per {@code slotsPerCall} pools), all
 * in one batch. Used to re-read the LP fee of dynamic-fee pools, which their hooks change with
 * {@code PoolManager.updateDynamicLPFee} without an event (v4-core {@code StateLibrary.getSlot0} layout).
 *
 * <p>Stateless; safe for concurrent use. A failed request is retried by the client and then thrown; every answer
 * belongs to the block asked for (pin it by hash so a reorg cannot swap it).
 */
public final class V4LpFeeReader {
    private static final Function EXTSLOAD = Function.parse("extsload(bytes32[])", "(bytes32[])");

    private final EthClient eth;
    private final int slotsPerCall;

    /** {@code slotsPerCall}: pools per {@code extsload} call (e.g. {@link ScrapeSettings#slotsPerExtsload()}). */
    public V4LpFeeReader(EthClient eth, int slotsPerCall) {
        if (slotsPerCall < 1) {
            throw new IllegalArgumentException("slots per call must be >= 1: slotsPerCall=" + slotsPerCall);
        }
        this.eth = eth;
        this.slotsPerCall = slotsPerCall;
    }

    /**
     * The LP fee (pips) of each pool at {@code at}.
     *
     * @throws IllegalArgumentException when a pool is not V4
     * @throws IllegalStateException    naming the pool when its slot0 is empty (not initialised at that block)
     * @throws io.poolstate.eth.rpc.RpcException when the node fails the request
     */
    public Map<PoolId, Integer> lpFees(Collection<PoolDescriptor> pools, BlockRef at) {
        Map<PoolId, Integer> out = new LinkedHashMap<>();
        slot0s(pools, at).forEach((id, s) -> out.put(id, s.lpFee()));
        return out;
    }

    /** Each pool's whole slot0 at {@code at}; see {@link #lpFees}. */
    public Map<PoolId, V4StateLayout.Slot0> slot0s(Collection<PoolDescriptor> pools, BlockRef at) {
        Map<Address, List<PoolDescriptor>> byManager = new LinkedHashMap<>();
        for (PoolDescriptor p : pools) {
            if (p.protocol() != Protocol.UNISWAP_V4) {
                throw new IllegalArgumentException("not a V4 pool: id=" + p.id() + " protocol=" + p.protocol().wireName());
            }
            byManager.computeIfAbsent(p.factory(), m -> new ArrayList<>()).add(p);
        }
        List<JsonRpcClient.Call> calls = new ArrayList<>();
        List<List<PoolDescriptor>> chunks = new ArrayList<>();
        for (Map.Entry<Address, List<PoolDescriptor>> e : byManager.entrySet()) {
            List<PoolDescriptor> all = e.getValue();
            for (int from = 0; from < all.size(); from += slotsPerCall) {
                List<PoolDescriptor> chunk = all.subList(from, Math.min(all.size(), from + slotsPerCall));
                byte[][] slots = new byte[chunk.size()][];
                for (int i = 0; i < chunk.size(); i++) {
                    slots[i] = V4StateLayout.stateSlot(chunk.get(i).id().v4Id()).toBytes();
                }
                Map<String, Object> tx = new LinkedHashMap<>();
                tx.put("to", e.getKey().toString());
                tx.put("data", Hex.encode(EXTSLOAD.encodeCall(Tuple.singleton(slots)).array()));
                calls.add(new JsonRpcClient.Call("eth_call", List.of(tx, at.param())));
                chunks.add(chunk);
            }
        }
        List<JsonRpcClient.Outcome> outcomes = eth.rpc().batch(calls);
        Map<PoolId, V4StateLayout.Slot0> out = new LinkedHashMap<>();
        for (int c = 0; c < chunks.size(); c++) {
            List<PoolDescriptor> chunk = chunks.get(c);
            byte[][] words = switch (outcomes.get(c)) {
                case JsonRpcClient.Success s -> EXTSLOAD.decodeReturn(Hex.decode(s.result().asText())).get(0);
                case JsonRpcClient.Failure f -> throw new RpcErrorResponseException("extsload slot0 of " + chunk.size() + " pools at " + at,
                        "PoolManager " + chunk.get(0).factory(), f.error().code(), f.error().nodeMessage(), f.error().data());
            };
            if (words.length != chunk.size()) {
                throw new IllegalStateException("extsload returned " + words.length + " slots for " + chunk.size() + " pools at " + at);
            }
            for (int i = 0; i < words.length; i++) {
                V4StateLayout.Slot0 s = V4StateLayout.Slot0.unpack(Bytes32.wrap(words[i]));
                if (s.sqrtPriceX96().signum() == 0) {
                    throw new IllegalStateException("pool is not initialised at " + at + ": id=" + chunk.get(i).id());
                }
                out.put(chunk.get(i).id(), s);
            }
        }
        return out;
    }
}
