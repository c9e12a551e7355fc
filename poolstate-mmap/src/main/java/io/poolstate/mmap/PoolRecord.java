package io.poolstate.mmap;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * One pool as copied out of the arena file by an {@link ArenaFileReader}: a mutable holder that the reader fills
 * and the caller reuses, so a read allocates nothing (the tick arrays grow once to the largest pool). Big integers
 * are kept as 64-bit limbs (low first) with {@link BigInteger} views for convenience. Units: sqrtPriceX96 is
 * Q64.96, liquidity and reserves in token units, fees in pips (hundredths of a basis point), ticks as in the pool.
 *
 * <p>Not thread-safe: owned by the thread that reads into it.
 */
public final class PoolRecord {
    final byte[] id = new byte[32];
    int idLength;
    int protocol;
    final byte[] token0 = new byte[20];
    final byte[] token1 = new byte[20];
    final byte[] hooks = new byte[20];
    int keyFee;
    int tickSpacing;
    int swapFee;
    int protocolFee;
    int tick;
    long sqrtPrice0;
    long sqrtPrice1;
    long sqrtPrice2;
    long liquidity0;
    long liquidity1;
    long reserve0Low;
    long reserve0High;
    long reserve1Low;
    long reserve1High;
    long writtenAt;
    long scrapedAt;
    int decimals0;
    int decimals1;
    int tickCount;
    int[] ticks = new int[0];
    /** Per tick: gross low, gross high, net low, net high. */
    long[] tickLimbs = new long[0];
    long blockNumber;
    final byte[] blockHash = new byte[32];

    /** The pool id: a 20-byte address (V2/V3) or a 32-byte PoolId (V4), as lowercase 0x-hex. */
    public String id() {
        return hex(id, idLength);
    }

    /** 2, 3 or 4: Uniswap V2, V3 or V4. */
    public int protocol() {
        return protocol;
    }

    public String token0() {
        return hex(token0, 20);
    }

    public String token1() {
        return hex(token1, 20);
    }

    /** The V4 hooks contract (zero address for none, and for V2/V3). */
    public String hooks() {
        return hex(hooks, 20);
    }

    /** The fee in the pool's key or factory call (pips; V4 dynamic-fee pools carry 0x800000); 0 for V2. */
    public int keyFee() {
        return keyFee;
    }

    /** 0 for V2. */
    public int tickSpacing() {
        return tickSpacing;
    }

    /** The fee a swap pays at this block (pips): the V3 fee, the V4 LP fee, 3000 for V2. */
    public int swapFee() {
        return swapFee;
    }

    /** The V4 protocol fee (pips, both directions packed as in slot0); 0 otherwise. */
    public int protocolFee() {
        return protocolFee;
    }

    /** The current tick (V3/V4). */
    public int tick() {
        return tick;
    }

    /** Limb {@code i} (0 = lowest 64 bits) of sqrtPriceX96 (uint160, Q64.96). */
    public long sqrtPriceX96Limb(int i) {
        return switch (i) {
            case 0 -> sqrtPrice0;
            case 1 -> sqrtPrice1;
            case 2 -> sqrtPrice2;
            default -> throw new IndexOutOfBoundsException("sqrtPriceX96 has 3 limbs: index=" + i);
        };
    }

    /** Limb {@code i} (0 = lowest 64 bits) of the active liquidity (uint128). */
    public long liquidityLimb(int i) {
        return switch (i) {
            case 0 -> liquidity0;
            case 1 -> liquidity1;
            default -> throw new IndexOutOfBoundsException("liquidity has 2 limbs: index=" + i);
        };
    }

    public BigInteger sqrtPriceX96() {
        return unsigned(sqrtPrice0, sqrtPrice1, sqrtPrice2);
    }

    public BigInteger liquidity() {
        return unsigned(liquidity0, liquidity1, 0);
    }

    /** V2 reserve of token0 (uint112); 0 for V3/V4. */
    public BigInteger reserve0() {
        return unsigned(reserve0Low, reserve0High, 0);
    }

    public BigInteger reserve1() {
        return unsigned(reserve1Low, reserve1High, 0);
    }

    /** The block at which the arena last wrote this pool's record. */
    public long writtenAt() {
        return writtenAt;
    }

    /** The block the pool was read at from the chain (its state since then comes from applied events). */
    public long scrapedAt() {
        return scrapedAt;
    }

    /** Token decimals, -1 when the whitelist did not give them. */
    public int decimals0() {
        return decimals0;
    }

    public int decimals1() {
        return decimals1;
    }

    /** How many initialised ticks were copied (V3/V4; by {@link ArenaFileReader#readPool}). */
    public int tickCount() {
        return tickCount;
    }

    /** The {@code i}-th initialised tick, ascending. */
    public int tickAt(int i) {
        return ticks[check(i)];
    }

    public BigInteger liquidityGross(int i) {
        check(i);
        return unsigned(tickLimbs[4 * i], tickLimbs[4 * i + 1], 0);
    }

    public BigInteger liquidityNet(int i) {
        check(i);
        return BigInteger.valueOf(tickLimbs[4 * i + 3]).shiftLeft(64).or(unsigned(tickLimbs[4 * i + 2], 0, 0));
    }

    /** The block this record was read at (by {@link ArenaFileReader#readPool} or a snapshot). */
    public long blockNumber() {
        return blockNumber;
    }

    public String blockHash() {
        return hex(blockHash, 32);
    }

    /** A copy that the reader will not change again. */
    public PoolRecord copy() {
        PoolRecord c = new PoolRecord();
        System.arraycopy(id, 0, c.id, 0, 32);
        c.idLength = idLength;
        c.protocol = protocol;
        System.arraycopy(token0, 0, c.token0, 0, 20);
        System.arraycopy(token1, 0, c.token1, 0, 20);
        System.arraycopy(hooks, 0, c.hooks, 0, 20);
        c.keyFee = keyFee;
        c.tickSpacing = tickSpacing;
        c.swapFee = swapFee;
        c.protocolFee = protocolFee;
        c.tick = tick;
        c.sqrtPrice0 = sqrtPrice0;
        c.sqrtPrice1 = sqrtPrice1;
        c.sqrtPrice2 = sqrtPrice2;
        c.liquidity0 = liquidity0;
        c.liquidity1 = liquidity1;
        c.reserve0Low = reserve0Low;
        c.reserve0High = reserve0High;
        c.reserve1Low = reserve1Low;
        c.reserve1High = reserve1High;
        c.writtenAt = writtenAt;
        c.scrapedAt = scrapedAt;
        c.decimals0 = decimals0;
        c.decimals1 = decimals1;
        c.tickCount = tickCount;
        c.ticks = Arrays.copyOf(ticks, tickCount);
        c.tickLimbs = Arrays.copyOf(tickLimbs, tickCount * 4);
        c.blockNumber = blockNumber;
        System.arraycopy(blockHash, 0, c.blockHash, 0, 32);
        return c;
    }

    void ensureTicks(int n) {
        if (ticks.length < n) {
            int cap = Math.max(n, ticks.length * 2);
            ticks = new int[cap];
            tickLimbs = new long[cap * 4];
        }
    }

    private int check(int i) {
        if (i < 0 || i >= tickCount) {
            throw new IndexOutOfBoundsException("tick index out of range: index=" + i + " count=" + tickCount);
        }
        return i;
    }

    private static BigInteger unsigned(long l0, long l1, long l2) {
        byte[] b = new byte[25];
        for (int i = 0; i < 8; i++) {
            b[24 - i] = (byte) (l0 >>> (8 * i));
            b[16 - i] = (byte) (l1 >>> (8 * i));
            b[8 - i] = (byte) (l2 >>> (8 * i));
        }
        return new BigInteger(b);
    }

    static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder(2 + 2 * n).append("0x");
        for (int i = 0; i < n; i++) {
            s.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append(Character.forDigit(b[i] & 0xf, 16));
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "PoolRecord[id=" + id() + ", protocol=" + protocol + ", block=" + blockNumber + ", sqrtPriceX96=" + sqrtPriceX96() + ", tick=" + tick
                + ", liquidity=" + liquidity() + ", reserve0=" + reserve0() + ", reserve1=" + reserve1() + ", ticks=" + tickCount + "]";
    }
}
