package io.poolstate.eth.multicall;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.eth.Address;
import io.poolstate.eth.Hex;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.JsonRpcClient;
import io.poolstate.eth.rpc.RpcErrorResponseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batched {@code eth_call}s through Multicall3's {@code aggregate3} at one block. Calls are split into
 * multicalls of at most {@code callsPerMulticall}; up to {@code multicallsPerRequest} multicalls travel in
 * one JSON-RPC batch. Each call may fail on its own ({@code allowFailure = true}); its result says so.
 * Safe for concurrent callers.
 */
public final class Multicall3 {
    /** Multicall3's address on every chain where it is deployed. */
    public static final Address CANONICAL = Address.of("0xcA11bde05977b3631167028862bE2a173976CA11");

    private static final Function AGGREGATE3 = Function.parse("aggregate3((address,bool,bytes)[])", "((bool,bytes)[])");
    private static final Function GET_ETH_BALANCE = Function.parse("getEthBalance(address)", "(uint256)");

    private final EthClient eth;
    private final Address address;
    private final int callsPerMulticall;
    private final int multicallsPerRequest;

    public Multicall3(EthClient eth, Address address, int callsPerMulticall, int multicallsPerRequest) {
        if (callsPerMulticall < 1 || multicallsPerRequest < 1) {
            throw new IllegalArgumentException("batch sizes must be >= 1: callsPerMulticall=" + callsPerMulticall
                    + " multicallsPerRequest=" + multicallsPerRequest);
        }
        this.eth = eth;
        this.address = address;
        this.callsPerMulticall = callsPerMulticall;
        this.multicallsPerRequest = multicallsPerRequest;
    }

    public Multicall3(EthClient eth) {
        this(eth, CANONICAL, 500, 8);
    }

    /** One call: {@code callData} sent to {@code target}. */
    public record Call(Address target, byte[] callData) {
    }

    /** One call's outcome: whether it succeeded and its return (or revert) data. */
    public record Result(boolean success, byte[] returnData) {
    }

    /** Encodes a {@code getEthBalance(address)} call on the multicall contract itself (balance in wei). */
    public Call ethBalanceCall(Address account) {
        return new Call(address, GET_ETH_BALANCE.encodeCallWithArgs(com.esaulpaugh.headlong.abi.Address.wrap(
                com.esaulpaugh.headlong.abi.Address.toChecksumAddress(account.toBigInteger()))).array());
    }

    /**
     * Runs every call at {@code block}, returning results in the order of {@code calls}.
     *
     * @throws io.poolstate.eth.rpc.RpcException when a multicall as a whole fails (after the client's retries);
     *     the message names the block and the index range of the calls it carried
     */
    public List<Result> aggregate(List<Call> calls, BlockRef block) {
        List<Result> out = new ArrayList<>(calls.size());
        int perRequest = callsPerMulticall * multicallsPerRequest;
        for (int start = 0; start < calls.size(); start += perRequest) {
            out.addAll(request(calls, start, Math.min(calls.size(), start + perRequest), block));
        }
        return out;
    }

    /** The number of JSON-RPC requests {@link #aggregate} makes for {@code n} calls. */
    public int requestsFor(int n) {
        int perRequest = callsPerMulticall * multicallsPerRequest;
        return (n + perRequest - 1) / perRequest;
    }

    /**
     * Runs each group as one {@code aggregate3} call with {@code code} placed at every target of the group by a state
     * override ({@code eth_call}'s third parameter) and {@code gas} as the call's gas limit; all groups travel in one
     * JSON-RPC batch. The caller sizes the groups (gas, count); this does not split them. Results per group, in order.
     *
     * @throws io.poolstate.eth.rpc.RpcException when a group as a whole fails (e.g. a node that refuses state overrides)
     */
    public List<List<Result>> aggregateWithCode(List<List<Call>> groups, BlockRef block, byte[] code, long gas) {
        List<JsonRpcClient.Call> rpcCalls = new ArrayList<>(groups.size());
        String hexCode = Hex.encode(code);
        for (List<Call> group : groups) {
            Map<String, Object> tx = new LinkedHashMap<>();
            tx.put("to", address.toString());
            tx.put("gas", Hex.quantity(gas));
            tx.put("data", Hex.encode(encode(group)));
            Map<String, Object> override = new LinkedHashMap<>();
            for (Call c : group) {
                override.putIfAbsent(c.target().toString(), Map.of("code", hexCode));
            }
            rpcCalls.add(new JsonRpcClient.Call("eth_call", List.of(tx, block.param(), override)));
        }
        List<JsonRpcClient.Outcome> outcomes = eth.rpc().batch(rpcCalls);
        List<List<Result>> out = new ArrayList<>(groups.size());
        for (int i = 0; i < outcomes.size(); i++) {
            int[] r = {0, groups.get(i).size()};
            switch (outcomes.get(i)) {
                case JsonRpcClient.Success s -> out.add(decode(Hex.decode(s.result().asText()), r[1], block, r));
                case JsonRpcClient.Failure f -> throw new RpcErrorResponseException("aggregate3 with code override[group " + i + " of "
                        + groups.size() + ", " + r[1] + " calls " + block + "]", eth.rpc().endpoint().url(), f.error().code(), f.error().nodeMessage(),
                        f.error().data());
            }
        }
        return out;
    }

    private List<Result> request(List<Call> calls, int from, int to, BlockRef block) {
        List<JsonRpcClient.Call> rpcCalls = new ArrayList<>();
        List<int[]> ranges = new ArrayList<>();
        for (int s = from; s < to; s += callsPerMulticall) {
            int e = Math.min(to, s + callsPerMulticall);
            Map<String, Object> tx = new LinkedHashMap<>();
            tx.put("to", address.toString());
            tx.put("data", Hex.encode(encode(calls.subList(s, e))));
            rpcCalls.add(new JsonRpcClient.Call("eth_call", List.of(tx, block.param())));
            ranges.add(new int[] {s, e});
        }
        List<JsonRpcClient.Outcome> outcomes = eth.rpc().batch(rpcCalls);
        List<Result> out = new ArrayList<>(to - from);
        for (int i = 0; i < outcomes.size(); i++) {
            int[] r = ranges.get(i);
            switch (outcomes.get(i)) {
                case JsonRpcClient.Success s -> out.addAll(decode(Hex.decode(s.result().asText()), r[1] - r[0], block, r));
                case JsonRpcClient.Failure f -> throw new RpcErrorResponseException("aggregate3[calls " + r[0] + ".." + (r[1] - 1) + " " + block + "]",
                        eth.rpc().endpoint().url(), f.error().code(), f.error().nodeMessage(), f.error().data());
            }
        }
        return out;
    }

    private static byte[] encode(List<Call> calls) {
        Tuple[] items = new Tuple[calls.size()];
        for (int i = 0; i < items.length; i++) {
            Call c = calls.get(i);
            items[i] = Tuple.of(com.esaulpaugh.headlong.abi.Address.wrap(com.esaulpaugh.headlong.abi.Address.toChecksumAddress(c.target().toBigInteger())),
                    true, c.callData());
        }
        ByteBuffer bb = AGGREGATE3.encodeCall(Tuple.singleton(items));
        return bb.array();
    }

    private List<Result> decode(byte[] data, int expected, BlockRef block, int[] range) {
        if (data.length == 0) {
            throw new IllegalStateException("aggregate3 returned no data (no Multicall3 at multicall=" + address + "?): " + block
                    + " calls=" + range[0] + ".." + (range[1] - 1));
        }
        Tuple ret;
        try {
            ret = AGGREGATE3.decodeReturn(data);
        } catch (RuntimeException e) {
            throw new IllegalStateException("aggregate3 returned undecodable data: " + block + " calls=" + range[0] + ".." + (range[1] - 1)
                    + " bytes=" + data.length + " error=" + e, e);
        }
        Tuple[] results = ret.get(0);
        if (results.length != expected) {
            throw new IllegalStateException("aggregate3 returned " + results.length + " results for " + expected
                    + " calls: " + block + " calls=" + range[0] + ".." + (range[1] - 1));
        }
        List<Result> out = new ArrayList<>(results.length);
        for (Tuple t : results) {
            out.add(new Result(t.get(0), t.get(1)));
        }
        return out;
    }
}
