package io.poolstate.dex.event;

import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.math.BigInteger;

/**
 * A decoded pool event: exactly the fields the contract emits, with Solidity's widths (amounts in the
 * token's smallest unit, prices as Q64.96 square roots, ticks as int24, liquidity as uint128).
 */
public sealed interface PoolEvent {
    EventKind kind();

    /** V2 {@code Sync}: the pair's reserves after the operation (uint112 each). */
    record V2Sync(BigInteger reserve0, BigInteger reserve1) implements PoolEvent {
        public EventKind kind() {
            return EventKind.V2_SYNC;
        }
    }

    /** V2 {@code Swap}. */
    record V2Swap(Address sender, BigInteger amount0In, BigInteger amount1In, BigInteger amount0Out, BigInteger amount1Out,
                  Address to) implements PoolEvent {
        public EventKind kind() {
            return EventKind.V2_SWAP;
        }
    }

    /** V2 {@code Mint}: tokens added as liquidity. */
    record V2Mint(Address sender, BigInteger amount0, BigInteger amount1) implements PoolEvent {
        public EventKind kind() {
            return EventKind.V2_MINT;
        }
    }

    /** V2 {@code Burn}: tokens removed from liquidity. */
    record V2Burn(Address sender, BigInteger amount0, BigInteger amount1, Address to) implements PoolEvent {
        public EventKind kind() {
            return EventKind.V2_BURN;
        }
    }

    /** V3 {@code Initialize}: the pool's first price and tick. */
    record V3Initialize(BigInteger sqrtPriceX96, int tick) implements PoolEvent {
        public EventKind kind() {
            return EventKind.V3_INITIALIZE;
        }
    }

    /** V3 {@code Swap}: signed deltas from the pool's view, and price, liquidity and tick after the swap. */
    record V3Swap(Address sender, Address recipient, BigInteger amount0, BigInteger amount1, BigInteger sqrtPriceX96,
                  BigInteger liquidity, int tick) implements PoolEvent {
        public EventKind kind() {
            return EventKind.V3_SWAP;
        }
    }

    /** V3 {@code Mint}: {@code amount} liquidity added to [tickLower, tickUpper). */
    record V3Mint(Address sender, Address owner, int tickLower, int tickUpper, BigInteger amount, BigInteger amount0,
                  BigInteger amount1) implements PoolEvent {
        public EventKind kind() {
            return EventKind.V3_MINT;
        }
    }

    /** V3 {@code Burn}: {@code amount} liquidity removed (zero to poke fees). */
    record V3Burn(Address owner, int tickLower, int tickUpper, BigInteger amount, BigInteger amount0, BigInteger amount1)
            implements PoolEvent {
        public EventKind kind() {
            return EventKind.V3_BURN;
        }
    }

    /** V3 {@code Collect}: owed tokens paid out (no effect on price or liquidity). */
    record V3Collect(Address owner, Address recipient, int tickLower, int tickUpper, BigInteger amount0, BigInteger amount1)
            implements PoolEvent {
        public EventKind kind() {
            return EventKind.V3_COLLECT;
        }
    }

    /** V3 {@code Flash}: borrowed amounts and what was paid back (no effect on price or liquidity). */
    record V3Flash(Address sender, Address recipient, BigInteger amount0, BigInteger amount1, BigInteger paid0,
                   BigInteger paid1) implements PoolEvent {
        public EventKind kind() {
            return EventKind.V3_FLASH;
        }
    }

    /** V4 {@code Initialize}: the PoolKey and the starting price and tick. */
    record V4Initialize(Bytes32 id, Address currency0, Address currency1, int fee, int tickSpacing, Address hooks,
                        BigInteger sqrtPriceX96, int tick) implements PoolEvent {
        public EventKind kind() {
            return EventKind.V4_INITIALIZE;
        }
    }

    /** V4 {@code ModifyLiquidity}: signed liquidity delta on [tickLower, tickUpper) for a salted position. */
    record V4ModifyLiquidity(Bytes32 id, Address sender, int tickLower, int tickUpper, BigInteger liquidityDelta,
                             Bytes32 salt) implements PoolEvent {
        public EventKind kind() {
            return EventKind.V4_MODIFY_LIQUIDITY;
        }
    }

    /** V4 {@code Swap}: signed deltas from the swapper's view (int128), price, liquidity and tick after, LP fee used. */
    record V4Swap(Bytes32 id, Address sender, BigInteger amount0, BigInteger amount1, BigInteger sqrtPriceX96,
                  BigInteger liquidity, int tick, int fee) implements PoolEvent {
        public EventKind kind() {
            return EventKind.V4_SWAP;
        }
    }

    /** V4 {@code Donate}: tokens given to in-range LPs (no effect on price or liquidity). */
    record V4Donate(Bytes32 id, Address sender, BigInteger amount0, BigInteger amount1) implements PoolEvent {
        public EventKind kind() {
            return EventKind.V4_DONATE;
        }
    }

    /** V4 {@code ProtocolFeeUpdated}: the pool's new protocol fee (two 12-bit pips values packed in a uint24). */
    record V4ProtocolFeeUpdated(Bytes32 id, int protocolFee) implements PoolEvent {
        public EventKind kind() {
            return EventKind.V4_PROTOCOL_FEE_UPDATED;
        }
    }
}
