package io.poolstate.dex.v4;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.eth.Address;
import io.poolstate.eth.Hex;
import io.poolstate.eth.Keccak256;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.JsonRpcClient;
import io.poolstate.eth.rpc.RpcErrorResponseException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks a deployed V4Quoter (v4-periphery {@code src/lens/V4Quoter.sol}) for single-pool quotes with
 * {@code eth_call} at a given block: {@code quoteExactInputSingle} / {@code quoteExactOutputSingle}. The quoter runs
 * the real swap in the PoolManager — hooks, fee overrides and return deltas included — and reverts it, so its answer
 * is the chain's own for any pool, hooked or not. It takes no price limit: it swaps to the widest one and reverts with
 * {@code NotEnoughLiquidity} when the pool cannot fill the amount.
 *
 * <p>Stateless; safe for concurrent use. Reverts come back as {@link V4NodeQuote.Reverted} with the decoded reason;
 * a node or transport failure (unknown block, time-out after retries) is thrown as an
 * {@link io.poolstate.eth.rpc.RpcException}.
 */
public final class V4QuoterClient {
    private static final String PARAMS = "(((address,address,uint24,int24,address),bool,uint128,bytes))";
    private static final Function EXACT_IN = Function.parse("quoteExactInputSingle" + PARAMS, "(uint256,uint256)");
    private static final Function EXACT_OUT = Function.parse("quoteExactOutputSingle" + PARAMS, "(uint256,uint256)");
    private static final Function POOL_MANAGER = Function.parse("poolManager()", "(address)");
    /** {@code type(int128).max}: V4Quoter casts the uint128 amount with {@code int128(...)}, which wraps above it. */
    private static final BigInteger INT128_MAX = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);

    /**
     * One quote to ask for: {@code amount} is paid in (exact input) or to be received (exact output), token units,
     * 1..2^127-1.
     */
    public record Request(PoolDescriptor pool, boolean zeroForOne, boolean exactInput, BigInteger amount) {
        public Request {
            if (pool.protocol() != Protocol.UNISWAP_V4) {
                throw new IllegalArgumentException("V4Quoter quotes V4 pools only: id=" + pool.id() + " protocol=" + pool.protocol().wireName());
            }
            if (amount.signum() <= 0 || amount.compareTo(INT128_MAX) > 0) {
                throw new IllegalArgumentException("V4Quoter amount must be in 1..2^127-1: amount=" + amount);
            }
        }
    }

    private final EthClient eth;
    private final Address quoter;

    public V4QuoterClient(EthClient eth, Address quoter) {
        this.eth = eth;
        this.quoter = quoter;
    }

    public Address quoter() {
        return quoter;
    }

    /**
     * The PoolManager the quoter simulates swaps in (its immutable {@code poolManager()}), read at {@code at}: it quotes
     * only that manager's pools. Also proves the address holds a V4Quoter.
     *
     * @throws IllegalStateException when the address has no such function (not a V4Quoter)
     * @throws io.poolstate.eth.rpc.RpcException when the node fails the request
     */
    public Address poolManager(BlockRef at) {
        byte[] out;
        try {
            out = eth.call(quoter, POOL_MANAGER.encodeCall(Tuple.EMPTY).array(), at);
        } catch (RpcErrorResponseException e) {
            throw new IllegalStateException("not a V4Quoter: address=" + quoter + " poolManager() failed: " + e.getMessage(), e);
        }
        if (out.length != 32) {
            throw new IllegalStateException("not a V4Quoter: address=" + quoter + " poolManager() returned " + out.length + " bytes");
        }
        return Address.of(((com.esaulpaugh.headlong.abi.Address) POOL_MANAGER.decodeReturn(out).get(0)).value());
    }

    /** One quote at {@code at} (pin it by hash: {@link BlockRef#hash}). */
    public V4NodeQuote quote(Request request, BlockRef at) {
        return quoteAll(List.of(request), at).get(0);
    }

    /** Many quotes at {@code at} in one JSON-RPC batch, answered in order. */
    public List<V4NodeQuote> quoteAll(List<Request> requests, BlockRef at) {
        List<JsonRpcClient.Call> calls = new ArrayList<>(requests.size());
        for (Request r : requests) {
            Map<String, Object> tx = new LinkedHashMap<>();
            tx.put("to", quoter.toString());
            tx.put("data", Hex.encode(encode(r)));
            calls.add(new JsonRpcClient.Call("eth_call", List.of(tx, at.param())));
        }
        List<JsonRpcClient.Outcome> outcomes = eth.rpc().batch(calls);
        List<V4NodeQuote> out = new ArrayList<>(requests.size());
        for (int i = 0; i < outcomes.size(); i++) {
            Request r = requests.get(i);
            switch (outcomes.get(i)) {
                case JsonRpcClient.Success s -> {
                    Tuple t = (r.exactInput() ? EXACT_IN : EXACT_OUT).decodeReturn(Hex.decode(s.result().asText()));
                    BigInteger amount = t.get(0);
                    out.add(r.exactInput() ? new V4NodeQuote.Quoted(r.amount(), amount, t.get(1))
                            : new V4NodeQuote.Quoted(amount, r.amount(), t.get(1)));
                }
                case JsonRpcClient.Failure f -> {
                    if (!f.error().isRevert()) {
                        throw new RpcErrorResponseException("V4Quoter at " + at + " for pool " + r.pool().id(), "quoter " + quoter,
                                f.error().code(), f.error().nodeMessage(), f.error().data());
                    }
                    out.add(RevertDecoder.decode(f.error().data(), f.error().nodeMessage()));
                }
            }
        }
        return out;
    }

    static byte[] encode(Request r) {
        PoolDescriptor p = r.pool();
        Tuple key = Tuple.of(addr(p.token0().address()), addr(p.token1().address()), p.fee(), p.tickSpacing(), addr(p.hooks()));
        Tuple params = Tuple.of(key, r.zeroForOne(), r.amount(), new byte[0]);
        return (r.exactInput() ? EXACT_IN : EXACT_OUT).encodeCall(Tuple.singleton(params)).array();
    }

    private static com.esaulpaugh.headlong.abi.Address addr(Address a) {
        return com.esaulpaugh.headlong.abi.Address.wrap(com.esaulpaugh.headlong.abi.Address.toChecksumAddress(a.toBigInteger()));
    }

    /** Decodes the errors a V4Quoter quote can revert with (v4-periphery, v4-core {@code CustomRevert} and pool errors). */
    static final class RevertDecoder {
        private static final Map<String, Function> ERRORS = new LinkedHashMap<>();
        private static final Map<String, String> HOOK_CALLS = new LinkedHashMap<>();

        static {
            for (String sig : List.of("UnexpectedRevertBytes(bytes)", "NotEnoughLiquidity(bytes32)", "WrappedError(address,bytes4,bytes,bytes)",
                    "Error(string)", "Panic(uint256)", "PoolNotInitialized()", "SwapAmountCannotBeZero()", "InvalidFeeForExactOut()",
                    "PriceLimitAlreadyExceeded(uint160,uint160)", "PriceLimitOutOfBounds(uint160)", "SafeCastOverflow()",
                    "HookDeltaExceedsSwapAmount()", "InvalidHookResponse()", "HookCallFailed()", "CurrencyNotSettled()", "LPFeeTooLarge(uint24)",
                    "NotPoolManager()", "NotSelf()", "UnexpectedCallSuccess()", "QuoteSwap(uint256)")) {
                Function f = Function.parse(sig);
                ERRORS.put(Hex.encode(f.selector()), f);
            }
            HOOK_CALLS.put(selector("beforeSwap(address,(address,address,uint24,int24,address),(bool,int256,uint160),bytes)"), "beforeSwap");
            HOOK_CALLS.put(selector("afterSwap(address,(address,address,uint24,int24,address),(bool,int256,uint160),int256,bytes)"), "afterSwap");
        }

        private RevertDecoder() {
        }

        static V4NodeQuote.Reverted decode(String dataHex, String nodeMessage) {
            if (dataHex == null || dataHex.length() < 10) {
                return new V4NodeQuote.Reverted("unknown", "reverted without data: " + nodeMessage, dataHex);
            }
            String[] innermost = {"unknown"};
            String reason = describe(Hex.decode(dataHex), innermost, 0);
            return new V4NodeQuote.Reverted(innermost[0], reason, dataHex);
        }

        private static String describe(byte[] data, String[] innermost, int depth) {
            if (data.length < 4) {
                return "revert data of " + data.length + " bytes";
            }
            String sel = Hex.encode(Arrays.copyOf(data, 4));
            Function f = ERRORS.get(sel);
            if (f == null || depth > 8) {
                return "error " + sel + " (" + data.length + " bytes)";
            }
            String name = f.getName();
            Tuple args;
            try {
                args = f.decodeCall(data);
            } catch (RuntimeException e) {
                innermost[0] = name;
                return name + " (undecodable arguments)";
            }
            switch (name) {
                case "UnexpectedRevertBytes" -> {
                    return describe(args.get(0), innermost, depth + 1);
                }
                case "WrappedError" -> {
                    innermost[0] = name;
                    String callSel = Hex.encode((byte[]) args.get(1));
                    String call = HOOK_CALLS.getOrDefault(callSel, callSel);
                    String inner = describe(args.get(2), new String[1], depth + 1);
                    return "hook " + Address.of(((com.esaulpaugh.headlong.abi.Address) args.get(0)).value()) + " reverted in " + call + ": " + inner;
                }
                case "Error" -> {
                    innermost[0] = name;
                    return "Error('" + args.get(0) + "')";
                }
                default -> {
                    innermost[0] = name;
                    StringBuilder b = new StringBuilder(name).append('(');
                    for (int i = 0; i < args.size(); i++) {
                        Object a = args.get(i);
                        b.append(i == 0 ? "" : ", ").append(a instanceof byte[] bytes ? Hex.encode(bytes) : String.valueOf(a));
                    }
                    return b.append(')').toString();
                }
            }
        }

        private static String selector(String signature) {
            return Hex.encode(Arrays.copyOf(Keccak256.hash(signature.getBytes(StandardCharsets.UTF_8)), 4));
        }
    }
}
