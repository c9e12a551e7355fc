package io.poolstate.devnet.contract;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Runtime code of a minimal V3 flash borrower, assembled here because no npm package ships one.
 *
 * <p>Called by an account ({@code CALLER == ORIGIN}): calldata is {@code [target: 32-byte word][payload]};
 * it calls {@code target} with {@code payload} (forwarding value) and bubbles a revert. This is how the
 * devnet makes the callee call {@code pool.flash(callee, amount0, amount1, abi.encode(token0, token1,
 * amount0, amount1))}.
 *
 * <p>Called by a contract (the pool's {@code uniswapV3FlashCallback(fee0, fee1, data)}): pays back
 * {@code amount0 + fee0} of token0 and {@code amount1 + fee1} of token1 to the caller with ERC-20
 * {@code transfer}, reading the tokens and amounts from {@code data}. Callback calldata layout:
 * <pre>
 *   0    selector        4   fee0       36  fee1      68  data offset   100 data length
 *   132  token0          164 token1     196 amount0   228 amount1
 * </pre>
 * The callee must hold the fees; the devnet funds it.
 */
public final class FlashCallee {
    private FlashCallee() {
    }

    /** The runtime bytecode (install with {@code anvil_setCode}). */
    public static byte[] runtimeCode() {
        Assembler a = new Assembler();
        a.op(CALLER).op(ORIGIN).op(EQ).jumpi("forward");
        // callback: transfer(caller, amount0 + fee0) on token0, then the same for token1
        a.push4(0xa9059cbb).push1(0xe0).op(SHL).push1(0).op(MSTORE);
        a.op(CALLER).push1(4).op(MSTORE);
        a.push1(196).op(CALLDATALOAD).push1(4).op(CALLDATALOAD).op(ADD).push1(36).op(MSTORE);
        a.push1(0).push1(0).push1(68).push1(0).push1(0).push1(132).op(CALLDATALOAD).op(GAS).op(CALL);
        a.op(ISZERO).jumpi("fail");
        a.push1(228).op(CALLDATALOAD).push1(36).op(CALLDATALOAD).op(ADD).push1(36).op(MSTORE);
        a.push1(0).push1(0).push1(68).push1(0).push1(0).push1(164).op(CALLDATALOAD).op(GAS).op(CALL);
        a.op(ISZERO).jumpi("fail");
        a.op(STOP);
        // forward: call calldata[0:32] with calldata[32:]
        a.label("forward");
        a.push1(32).op(CALLDATASIZE).op(SUB);
        a.op(DUP1).push1(32).push1(0).op(CALLDATACOPY);
        a.push1(0).push1(0).op(DUP3).push1(0).op(CALLVALUE).push1(0).op(CALLDATALOAD).op(GAS).op(CALL);
        a.op(ISZERO).jumpi("fail");
        a.op(STOP);
        // fail: revert with the inner call's return data
        a.label("fail");
        a.op(RETURNDATASIZE).push1(0).push1(0).op(RETURNDATACOPY).op(RETURNDATASIZE).push1(0).op(REVERT);
        return a.assemble();
    }

    private static final int STOP = 0x00;
    private static final int ADD = 0x01;
    private static final int SUB = 0x03;
    private static final int EQ = 0x14;
    private static final int ISZERO = 0x15;
    private static final int SHL = 0x1b;
    private static final int ORIGIN = 0x32;
    private static final int CALLER = 0x33;
    private static final int CALLVALUE = 0x34;
    private static final int CALLDATALOAD = 0x35;
    private static final int CALLDATASIZE = 0x36;
    private static final int CALLDATACOPY = 0x37;
    private static final int RETURNDATASIZE = 0x3d;
    private static final int RETURNDATACOPY = 0x3e;
    private static final int MSTORE = 0x52;
    private static final int JUMPI = 0x57;
    private static final int GAS = 0x5a;
    private static final int JUMPDEST = 0x5b;
    private static final int PUSH1 = 0x60;
    private static final int PUSH2 = 0x61;
    private static final int PUSH4 = 0x63;
    private static final int DUP1 = 0x80;
    private static final int DUP3 = 0x82;
    private static final int CALL = 0xf1;
    private static final int REVERT = 0xfd;

    /** Just enough of an EVM assembler: opcodes, small pushes, labels resolved to 2-byte jump targets. */
    private static final class Assembler {
        private final ByteArrayOutputStream code = new ByteArrayOutputStream();
        private final Map<String, Integer> labels = new HashMap<>();
        private final Map<Integer, String> fixups = new HashMap<>();

        Assembler op(int opcode) {
            code.write(opcode);
            return this;
        }

        Assembler push1(int v) {
            code.write(PUSH1);
            code.write(v);
            return this;
        }

        Assembler push4(int v) {
            code.write(PUSH4);
            code.write(v >>> 24);
            code.write(v >>> 16);
            code.write(v >>> 8);
            code.write(v);
            return this;
        }

        Assembler jumpi(String label) {
            code.write(PUSH2);
            fixups.put(code.size(), label);
            code.write(0);
            code.write(0);
            return op(JUMPI);
        }

        Assembler label(String name) {
            labels.put(name, code.size());
            return op(JUMPDEST);
        }

        byte[] assemble() {
            byte[] out = code.toByteArray();
            fixups.forEach((at, label) -> {
                int target = labels.get(label);
                out[at] = (byte) (target >>> 8);
                out[at + 1] = (byte) target;
            });
            return out;
        }
    }
}
