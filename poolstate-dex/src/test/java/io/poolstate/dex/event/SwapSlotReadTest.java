package io.poolstate.dex.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Bytes32;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link LogDecoder#readSwapSlot} against {@link LogDecoder#decode}: the same verdict, reason and values on every log. */
class SwapSlotReadTest {
    private static final LogPosition AT = new LogPosition(7, 1, 2, Bytes32.ZERO);

    /** A 32-byte word: {@code value} in two's complement. */
    private static byte[] word(BigInteger value) {
        byte[] b = value.toByteArray();
        byte[] w = new byte[32];
        byte fill = (byte) (value.signum() < 0 ? 0xff : 0);
        java.util.Arrays.fill(w, fill);
        int n = Math.min(32, b.length);
        System.arraycopy(b, b.length - n, w, 32 - n, n);
        return w;
    }

    private static BigInteger random(SplittableRandom r, int bits, boolean signed) {
        BigInteger v = new BigInteger(r.nextInt(bits + 1), new java.util.Random(r.nextLong()));
        return signed && r.nextBoolean() ? v.negate() : v;
    }

    /** Where a generated log was changed from a valid one, for the failure message. */
    private record Case(EventKind kind, PoolId pool, List<Bytes32> indexed, byte[] data, String change) {
    }

    private static Case generate(SplittableRandom r) {
        boolean v4 = r.nextBoolean();
        EventKind kind = v4 ? EventKind.V4_SWAP : EventKind.V3_SWAP;
        byte[] idBytes = new byte[v4 ? 32 : 20];
        r.nextBytes(idBytes);
        PoolId pool = v4 ? PoolId.of(Bytes32.wrap(idBytes)) : PoolId.of(io.poolstate.eth.Address.wrap(idBytes));
        List<Bytes32> indexed = new ArrayList<>();
        if (v4) {
            indexed.add(pool.v4Id());
        } else {
            indexed.add(addressTopic(r));
        }
        indexed.add(addressTopic(r));
        int amountBits = v4 ? 127 : 255;
        List<byte[]> words = new ArrayList<>(List.of(word(random(r, amountBits, true)), word(random(r, amountBits, true)),
                word(random(r, 160, false)), word(random(r, 128, false)), word(BigInteger.valueOf(r.nextInt(-(1 << 23), 1 << 23)))));
        if (v4) {
            words.add(word(BigInteger.valueOf(r.nextInt(1 << 24))));
        }
        String change = "none";
        int changes = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(2);
        for (int c = 0; c < changes; c++) {
            switch (r.nextInt(8)) {
                case 0, 1, 2 -> { // a byte of a data word: often breaks a type's width or sign extension
                    int w = r.nextInt(words.size());
                    int b = r.nextBoolean() ? r.nextInt(17) : r.nextInt(32);
                    words.get(w)[b] = (byte) r.nextInt(256);
                    change += ", data word " + w + " byte " + b;
                }
                case 3 -> { // a data word as its boundary value: the largest and smallest of each width, and one past
                    int w = r.nextInt(words.size());
                    int bits = new int[] {127, 128, 159, 160, 161, 23, 24, 255}[r.nextInt(8)];
                    BigInteger v = BigInteger.ONE.shiftLeft(bits).add(BigInteger.valueOf(r.nextInt(3) - 1));
                    words.set(w, word(r.nextBoolean() ? v : v.negate()));
                    change += ", data word " + w + " = +-2^" + bits;
                }
                case 4 -> { // an address topic's high bytes
                    int t = v4 ? 1 : r.nextInt(2);
                    if (t >= indexed.size()) {
                        continue; // removed by an earlier change
                    }
                    byte[] b = indexed.get(t).toBytes();
                    b[r.nextInt(12)] = (byte) (1 + r.nextInt(255));
                    indexed.set(t, Bytes32.wrap(b));
                    change += ", topic " + t;
                }
                case 5 -> { // data of another length
                    words.add(new byte[32]);
                    change += ", extra word";
                }
                case 6 -> { // a topic too many or too few
                    if (r.nextBoolean()) {
                        indexed.add(Bytes32.ZERO);
                    } else {
                        indexed.remove(indexed.size() - 1);
                    }
                    change += ", topic count";
                }
                default -> { // another pool: a V4 id not in topic 1, or the other protocol's kind
                    if (v4 && !indexed.isEmpty() && r.nextBoolean()) {
                        indexed.set(0, Bytes32.wrap(new byte[32]));
                    } else {
                        kind = v4 ? EventKind.V3_SWAP : EventKind.V4_SWAP;
                    }
                    change += ", pool";
                }
            }
        }
        byte[] data = new byte[words.size() * 32];
        for (int i = 0; i < words.size(); i++) {
            System.arraycopy(words.get(i), 0, data, i * 32, 32);
        }
        return new Case(kind, pool, indexed, data, change);
    }

    private static Bytes32 addressTopic(SplittableRandom r) {
        byte[] b = new byte[32];
        for (int i = 12; i < 32; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return Bytes32.wrap(b);
    }

    @Test
    void acceptsExactlyWhatDecodeAcceptsWithTheSameReasonAndValues() {
        long seed = Long.getLong("poolstate.seed", 17L);
        System.out.println("swap slot read seed=" + seed);
        SplittableRandom r = new SplittableRandom(seed);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 100_000; i++) {
            Case c = generate(r);
            String expectedError = null;
            PoolEvent event = null;
            try {
                event = LogDecoder.decode(c.kind(), c.pool(), c.indexed(), c.data(), AT).event();
            } catch (MalformedLogException e) {
                expectedError = e.getMessage();
            }
            String error = null;
            SwapSlot slot = null;
            try {
                slot = LogDecoder.readSwapSlot(c.kind(), c.pool(), c.indexed(), c.data(), AT);
            } catch (MalformedLogException e) {
                error = e.getMessage();
            }
            String where = "seed " + seed + " case " + i + " " + c.kind() + " changes: " + c.change();
            assertThat(error).as(where).isEqualTo(expectedError);
            if (event != null) {
                accepted++;
                SwapSlot expected = switch (event) {
                    case PoolEvent.V3Swap sw -> new SwapSlot(sw.sqrtPriceX96(), sw.tick(), sw.liquidity());
                    case PoolEvent.V4Swap sw -> new SwapSlot(sw.sqrtPriceX96(), sw.tick(), sw.liquidity());
                    default -> throw new AssertionError(where + ": decoded as " + event);
                };
                assertThat(slot).as(where).isEqualTo(expected);
            } else {
                refused++;
            }
        }
        System.out.printf("swap slot read: %d accepted, %d refused, all as decode%n", accepted, refused);
        assertThat(accepted).as("valid logs generated").isGreaterThan(20_000);
        assertThat(refused).as("malformed logs generated").isGreaterThan(20_000);
    }

    @Test
    void onlySwapsAreRead() {
        assertThatThrownBy(() -> LogDecoder.readSwapSlot(EventKind.V2_SYNC, PoolId.parse("0x" + "11".repeat(20)), List.of(), new byte[64], AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("V2_SYNC");
    }
}
