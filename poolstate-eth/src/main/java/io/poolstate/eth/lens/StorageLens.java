package io.poolstate.eth.lens;

import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import io.poolstate.eth.Keccak256;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.JsonRpcClient;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A storage lens: a 106-byte EVM program that reads only its own storage, placed by an {@code eth_call} state override
 * ({@code {"<address>": {"code": "0x…"}}}, the call's third parameter) at the address whose storage is wanted (a
 * Uniswap V3 pool, the V4 PoolManager). The contract's own code never runs; its storage is read as it is at the
 * call's block. Two modes, chosen by the first calldata word:
 *
 * <pre>
 * calldata (32-byte words)                  return data (32-byte words)
 * mode "slots":                             +--------------------+
 * +---+--------+--------+-----+--------+    | sload(slot 1)      |
 * | 0 | slot 1 | slot 2 | ... | slot n |    | ...                |  n words, in order
 * +---+--------+--------+-----+--------+    | sload(slot n)      |
 *                                           +--------------------+
 * mode "scan" (a mapping(int16 =&gt; uint256), e.g. a tick bitmap):
 * +---+------+-------------+-------------+   +------+-------+------+-------+-----
 * | 1 | base | first int256| last int256 |   | word | value | word | value | ...  only the non-zero values,
 * +---+------+-------------+-------------+   +------+-------+------+-------+-----  words ascending
 *   value(word) = sload(keccak256(abi.encode(int256(word), base)))  for first &lt;= word &lt;= last (signed)
 * </pre>
 *
 * The program ({@link #CODE}; a test assembles this listing and compares):
 *
 * <pre>
 * 00 6000     PUSH1 0x00
 * 02 35       CALLDATALOAD           ; mode
 * 03 6026     PUSH1 scan
 * 05 57       JUMPI                  ; mode != 0: scan
 * 06 6020     PUSH1 0x20             ; i = 32                         stack: i
 * 08 5b       JUMPDEST slotsLoop
 * 09 36       CALLDATASIZE
 * 0a 81       DUP2
 * 0b 10       LT                     ; i &lt; calldatasize
 * 0c 15       ISZERO
 * 0d 601e     PUSH1 slotsDone
 * 0f 57       JUMPI
 * 10 80       DUP1
 * 11 35       CALLDATALOAD           ; slot                            stack: slot i
 * 12 54       SLOAD                  ; v
 * 13 6020     PUSH1 0x20
 * 15 82       DUP3
 * 16 03       SUB                    ; i - 32
 * 17 52       MSTORE                 ; mem[i - 32] = v
 * 18 6020     PUSH1 0x20
 * 1a 01       ADD                    ; i += 32
 * 1b 6008     PUSH1 slotsLoop
 * 1d 56       JUMP
 * 1e 5b       JUMPDEST slotsDone
 * 1f 6020     PUSH1 0x20
 * 21 90       SWAP1
 * 22 03       SUB                    ; i - 32 bytes
 * 23 6000     PUSH1 0x00
 * 25 f3       RETURN                 ; mem[0 .. i - 32]
 * 26 5b       JUMPDEST scan
 * 27 6020     PUSH1 0x20
 * 29 35       CALLDATALOAD           ; base
 * 2a 6020     PUSH1 0x20
 * 2c 52       MSTORE                 ; mem[0x20] = base
 * 2d 6060     PUSH1 0x60
 * 2f 35       CALLDATALOAD           ; last
 * 30 6040     PUSH1 0x40
 * 32 35       CALLDATALOAD           ; w = first
 * 33 6040     PUSH1 0x40             ; out = 0x40                      stack: out w last
 * 35 5b       JUMPDEST scanLoop
 * 36 82       DUP3
 * 37 82       DUP3
 * 38 13       SGT                    ; w &gt; last (signed)
 * 39 6062     PUSH1 scanDone
 * 3b 57       JUMPI
 * 3c 81       DUP2
 * 3d 6000     PUSH1 0x00
 * 3f 52       MSTORE                 ; mem[0] = w
 * 40 6040     PUSH1 0x40
 * 42 6000     PUSH1 0x00
 * 44 20       KECCAK256              ; keccak256(w . base)
 * 45 54       SLOAD                  ; v                               stack: v out w last
 * 46 80       DUP1
 * 47 15       ISZERO
 * 48 6058     PUSH1 scanSkip
 * 4a 57       JUMPI                  ; v == 0: skip
 * 4b 82       DUP3
 * 4c 82       DUP3
 * 4d 52       MSTORE                 ; mem[out] = w
 * 4e 81       DUP2
 * 4f 6020     PUSH1 0x20
 * 51 01       ADD
 * 52 52       MSTORE                 ; mem[out + 32] = v               stack: out w last
 * 53 6040     PUSH1 0x40
 * 55 01       ADD                    ; out += 64
 * 56 6000     PUSH1 0x00             ; (popped below)
 * 58 5b       JUMPDEST scanSkip
 * 59 50       POP
 * 5a 90       SWAP1
 * 5b 6001     PUSH1 0x01
 * 5d 01       ADD                    ; w += 1
 * 5e 90       SWAP1
 * 5f 6035     PUSH1 scanLoop
 * 61 56       JUMP
 * 62 5b       JUMPDEST scanDone
 * 63 6040     PUSH1 0x40
 * 65 90       SWAP1
 * 66 03       SUB                    ; out - 0x40 bytes
 * 67 6040     PUSH1 0x40
 * 69 f3       RETURN                 ; mem[0x40 .. out]
 * </pre>
 *
 * Gas: a slot costs about 2,200 (a cold {@code SLOAD} is 2,100), a scanned word about 2,230 (the same plus
 * {@code KECCAK256}); a full tick-spacing-1 bitmap (6,932 words) about 15.5 million. Callers budget by
 * {@link #slotsGas} and {@link #scanGas} and set the call's {@code gas} (nodes cap it, geth at 50 million by default).
 * Stateless; safe from any thread.
 */
public final class StorageLens {
    /** The program above. */
    public static final byte[] CODE = Hex.decode("0x60003560265760205b36811015601e5780355460208203526020016008565b602090036000f35b6020356020526060356040"
            + "3560405b828213606257816000526040600020548015605857828252816020015260400160005b5090600101906035565b604090036040f3");

    /** Mode word of {@link #slotsCall}. */
    public static final int MODE_SLOTS = 0;
    /** Mode word of {@link #scanCall}. */
    public static final int MODE_SCAN = 1;
    /** Gas per slot read, with the calldata word that names it and the memory that returns it. */
    public static final long GAS_PER_SLOT = 3_000;
    /** Gas per scanned mapping word. */
    public static final long GAS_PER_WORD = 2_300;
    /** Gas for one lens call beyond its slots or words (a call from Multicall3: cold account, calldata, copying). */
    public static final long GAS_PER_CALL = 40_000;

    private StorageLens() {
    }

    /** The answer to one lens call: its return data, or the node's error for it (a revert, a refused override). */
    public sealed interface Answer {
        record Data(byte[] bytes) implements Answer {
        }

        record Error(String message) implements Answer {
        }
    }

    /**
     * Sends each call as its own {@code eth_call} at {@code block} with the lens placed at its target by a state
     * override and {@code gas} as its gas limit, all in one JSON-RPC batch; one answer per call, in order.
     *
     * @throws io.poolstate.eth.rpc.RpcException when the batch as a whole fails (after the client's retries)
     */
    public static List<Answer> call(EthClient eth, List<Multicall3.Call> calls, BlockRef block, long gas) {
        String code = Hex.encode(CODE);
        String gasQuantity = Hex.quantity(gas);
        List<JsonRpcClient.Call> rpc = new ArrayList<>(calls.size());
        for (Multicall3.Call c : calls) {
            Map<String, Object> tx = new LinkedHashMap<>();
            tx.put("to", c.target().toString());
            tx.put("gas", gasQuantity);
            tx.put("data", Hex.encode(c.callData()));
            rpc.add(new JsonRpcClient.Call("eth_call", List.of(tx, block.param(), Map.of(c.target().toString(), Map.of("code", code)))));
        }
        List<Answer> out = new ArrayList<>(calls.size());
        for (JsonRpcClient.Outcome o : eth.rpc().batch(rpc)) {
            out.add(switch (o) {
                case JsonRpcClient.Success s -> new Answer.Data(Hex.decode(s.result().asText()));
                case JsonRpcClient.Failure f -> new Answer.Error(f.error().getMessage());
            });
        }
        return out;
    }

    /** Calldata that reads {@code slots} in order. */
    public static byte[] slotsCall(List<Bytes32> slots) {
        byte[] out = new byte[32 * (slots.size() + 1)];
        for (int i = 0; i < slots.size(); i++) {
            slots.get(i).copyTo(out, 32 * (i + 1));
        }
        return out;
    }

    /** Calldata that scans {@code mapping(int16 => uint256)} at slot {@code base} for words {@code first..last}. */
    public static byte[] scanCall(Bytes32 base, int first, int last) {
        if (first > last) {
            throw new IllegalArgumentException("scan range is empty: first=" + first + " last=" + last);
        }
        byte[] out = new byte[128];
        out[31] = MODE_SCAN;
        base.copyTo(out, 32);
        int256(first).copyTo(out, 64);
        int256(last).copyTo(out, 96);
        return out;
    }

    /** Estimated gas of {@link #slotsCall} for {@code n} slots. */
    public static long slotsGas(int n) {
        return GAS_PER_CALL + GAS_PER_SLOT * n;
    }

    /** Estimated gas of {@link #scanCall} over {@code words} words. */
    public static long scanGas(int words) {
        return GAS_PER_CALL + GAS_PER_WORD * words;
    }

    /**
     * The answer to {@link #slotsCall} of {@code n} slots.
     *
     * @throws IllegalStateException when the answer is not exactly {@code n} words (the lens did not run)
     */
    public static List<Bytes32> decodeSlots(byte[] data, int n) {
        if (data.length != 32 * n) {
            throw new IllegalStateException("lens slots answer has " + data.length + " bytes for " + n + " slots (expected " + 32 * n + ")");
        }
        List<Bytes32> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Bytes32.wrap(data, 32 * i));
        }
        return out;
    }

    /**
     * The answer to {@link #scanCall} over {@code first..last}: word to value, only non-zero values.
     *
     * @throws IllegalStateException when the answer is not (word, value) pairs with words ascending within the range
     *     and values non-zero (the lens did not run)
     */
    public static Map<Integer, BigInteger> decodeScan(byte[] data, int first, int last) {
        if (data.length % 64 != 0) {
            throw new IllegalStateException("lens scan answer has " + data.length + " bytes, not (word, value) pairs");
        }
        TreeMap<Integer, BigInteger> out = new TreeMap<>();
        long previous = (long) first - 1;
        for (int at = 0; at < data.length; at += 64) {
            BigInteger w = new BigInteger(data, at, 32);
            BigInteger v = new BigInteger(1, data, at + 32, 32);
            if (w.compareTo(BigInteger.valueOf(previous)) <= 0 || w.compareTo(BigInteger.valueOf(last)) > 0 || v.signum() == 0) {
                throw new IllegalStateException("lens scan answer out of order or out of range: word=" + w + " value=" + v + " after=" + previous
                        + " range=" + first + ".." + last);
            }
            previous = w.longValueExact();
            out.put((int) previous, v);
        }
        return out;
    }

    /**
     * The slot of {@code mapping(intN => T)}[key] at slot {@code base}: {@code keccak256(abi.encode(int256(key), base))},
     * as Solidity lays it out and as the scan computes it.
     */
    public static Bytes32 mappingSlot(int key, Bytes32 base) {
        byte[] enc = new byte[64];
        int256(key).copyTo(enc, 0);
        base.copyTo(enc, 32);
        return Bytes32.wrap(Keccak256.hash(enc));
    }

    /** {@code int256(v)} as a 32-byte two's-complement word. */
    public static Bytes32 int256(int v) {
        BigInteger b = BigInteger.valueOf(v);
        return Bytes32.of(b.signum() < 0 ? b.add(BigInteger.ONE.shiftLeft(256)) : b);
    }
}
