package io.poolstate.dex.state;

import java.math.BigInteger;

/**
 * An initialised tick: total liquidity referencing it (uint128) and the net liquidity change when the price
 * crosses it left to right (int128). A tick whose gross liquidity is zero is not initialised and not stored.
 */
public record TickInfo(BigInteger liquidityGross, BigInteger liquidityNet) {
}
