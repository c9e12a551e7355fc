package io.poolstate.devnet.contract;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.eth.Address;
import java.math.BigInteger;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ABI encoding for the devnet's calls, through headlong. Functions are written as Solidity signatures with
 * output types, e.g. {@code fn("getReserves()", "(uint112,uint112,uint32)")}. Safe from any thread.
 */
public final class Abi {
    private static final Map<String, Function> FUNCTIONS = new ConcurrentHashMap<>();

    /** {@code type(uint256).max}: deadlines and approvals. */
    public static final BigInteger MAX_UINT256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    private Abi() {
    }

    public static Function fn(String signature) {
        return FUNCTIONS.computeIfAbsent(signature, s -> Function.parse(s));
    }

    public static Function fn(String signature, String outputs) {
        return FUNCTIONS.computeIfAbsent(signature + "->" + outputs, s -> Function.parse(signature, outputs));
    }

    /** Encodes a call of {@code signature} with {@code args} (headlong's Java types; see {@link #addr}). */
    public static byte[] call(String signature, Object... args) {
        return fn(signature).encodeCallWithArgs(args).array();
    }

    /** Our address as headlong's. */
    public static com.esaulpaugh.headlong.abi.Address addr(Address a) {
        return com.esaulpaugh.headlong.abi.Address.wrap(com.esaulpaugh.headlong.abi.Address.toChecksumAddress(a.toBigInteger()));
    }

    /** headlong's address as ours. */
    public static Address addr(com.esaulpaugh.headlong.abi.Address a) {
        return Address.of(a.value());
    }

    /** Decodes the return data of {@code signature -> outputs}. */
    public static Tuple decode(String signature, String outputs, byte[] returnData) {
        return fn(signature, outputs).decodeReturn(returnData);
    }

    /** ABI-encodes values as a tuple (like {@code abi.encode}). */
    public static byte[] encode(String tupleType, Object... values) {
        return com.esaulpaugh.headlong.abi.TupleType.parse(tupleType).encode(Tuple.from(values)).array();
    }

    public static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }
}
