/**
 * The BigInteger port of Uniswap's math and swap loop, kept as the test oracle of the fixed-width implementation
 * in {@code io.poolstate.dex.math} and {@code io.poolstate.dex.quote}: arbitrary-precision arithmetic with the
 * contracts' rounding and revert conditions checked explicitly, held to the chain by the devnet's integration
 * tests before the fixed-width version replaced it. The differential tests compare the two on seeded random inputs.
 */
package io.poolstate.dex.oracle;
