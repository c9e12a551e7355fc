package io.poolstate.dex.v4;

import static org.assertj.core.api.Assertions.assertThat;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.eth.Hex;
import org.junit.jupiter.api.Test;

/** V4Quoter revert data as the quoter wraps it: {@code UnexpectedRevertBytes(inner)}. */
class V4QuoterRevertDecoderTest {
    private static byte[] error(String signature, Object... args) {
        return Function.parse(signature).encodeCallWithArgs(args).array();
    }

    @Test
    void notEnoughLiquidity() {
        byte[] poolId = Hex.decode("0x" + "ab".repeat(32));
        byte[] data = error("UnexpectedRevertBytes(bytes)", (Object) error("NotEnoughLiquidity(bytes32)", (Object) poolId));
        // golden: selector of NotEnoughLiquidity(bytes32) as v4-periphery's BaseV4Quoter declares it
        assertThat(Hex.encode(data)).contains(Hex.encode(Function.parse("NotEnoughLiquidity(bytes32)").selector()).substring(2));
        V4NodeQuote.Reverted r = V4QuoterClient.RevertDecoder.decode(Hex.encode(data), "execution reverted");
        assertThat(r.error()).isEqualTo("NotEnoughLiquidity");
        assertThat(r.notEnoughLiquidity()).isTrue();
        assertThat(r.reason()).isEqualTo("NotEnoughLiquidity(0x" + "ab".repeat(32) + ")");
    }

    @Test
    void hookRevertNamesTheHookAndCallback() {
        byte[] beforeSwap = Function.parse("beforeSwap(address,(address,address,uint24,int24,address),(bool,int256,uint160),bytes)").selector();
        com.esaulpaugh.headlong.abi.Address hook = com.esaulpaugh.headlong.abi.Address.wrap(
                com.esaulpaugh.headlong.abi.Address.toChecksumAddress("0x00000000000000000000000000000000000010c0"));
        byte[] wrapped = error("WrappedError(address,bytes4,bytes,bytes)", hook, beforeSwap, error("Error(string)", "no"),
                error("HookCallFailed()"));
        V4NodeQuote.Reverted r = V4QuoterClient.RevertDecoder.decode(Hex.encode(error("UnexpectedRevertBytes(bytes)", (Object) wrapped)), "reverted");
        assertThat(r.error()).isEqualTo("WrappedError");
        assertThat(r.reason()).isEqualTo("hook 0x00000000000000000000000000000000000010c0 reverted in beforeSwap: Error('no')");
    }

    @Test
    void unknownAndMissingData() {
        assertThat(V4QuoterClient.RevertDecoder.decode("0xdeadbeef", "x").reason()).isEqualTo("error 0xdeadbeef (4 bytes)");
        assertThat(V4QuoterClient.RevertDecoder.decode(null, "execution reverted").error()).isEqualTo("unknown");
        assertThat(V4QuoterClient.RevertDecoder.decode(Hex.encode(error("InvalidFeeForExactOut()")), "x").error()).isEqualTo("InvalidFeeForExactOut");
    }

    @Test
    void encodesTheQuoterCalls() {
        // golden selectors: methodIdentifiers of v4-periphery 1.0.3 foundry-out/V4Quoter.sol/V4Quoter.json
        io.poolstate.dex.pool.Token a = io.poolstate.dex.pool.Token.of(io.poolstate.eth.Address.ZERO);
        io.poolstate.dex.pool.Token b = io.poolstate.dex.pool.Token.of(io.poolstate.eth.Address.of("0x00000000000000000000000000000000000000b1"));
        io.poolstate.dex.pool.PoolDescriptor p = new io.poolstate.dex.pool.PoolDescriptor(
                io.poolstate.dex.pool.PoolId.of(io.poolstate.eth.Bytes32.of("0x" + "11".repeat(32))), io.poolstate.dex.pool.Protocol.UNISWAP_V4, a, b,
                io.poolstate.eth.Address.ZERO, 3000, 60, io.poolstate.eth.Address.of("0x0000000000000000000000000000000000001000"));
        byte[] in = V4QuoterClient.encode(new V4QuoterClient.Request(p, true, true, java.math.BigInteger.TEN));
        byte[] out = V4QuoterClient.encode(new V4QuoterClient.Request(p, false, false, java.math.BigInteger.TEN));
        assertThat(Hex.encode(java.util.Arrays.copyOf(in, 4))).isEqualTo("0xaa9d21cb");
        assertThat(Hex.encode(java.util.Arrays.copyOf(out, 4))).isEqualTo("0x58733073");
        Tuple params = Function.parse("q(((address,address,uint24,int24,address),bool,uint128,bytes))").decodeCall(
                concat(Function.parse("q(((address,address,uint24,int24,address),bool,uint128,bytes))").selector(), java.util.Arrays.copyOfRange(in, 4, in.length)))
                .get(0);
        Tuple key = params.get(0);
        assertThat((Integer) key.get(2)).isEqualTo(3000);
        assertThat((Boolean) params.get(1)).isTrue();
        assertThat((java.math.BigInteger) params.get(2)).isEqualTo(java.math.BigInteger.TEN);
        // V4Quoter does int128(exactAmount): 2^127 would wrap to a negative amount and flip the swap's direction of exactness
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new V4QuoterClient.Request(p, true, true, java.math.BigInteger.ONE.shiftLeft(127)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..2^127-1");
        assertThat(new V4QuoterClient.Request(p, true, true, java.math.BigInteger.ONE.shiftLeft(127).subtract(java.math.BigInteger.ONE))).isNotNull();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
