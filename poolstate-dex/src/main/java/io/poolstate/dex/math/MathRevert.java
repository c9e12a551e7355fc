package io.poolstate.dex.math;

/**
 * A computation that reverts in the Solidity original (overflow, a failed {@code require}, an out-of-range
 * tick or price). The message names the function and the condition, like the contract's revert reason.
 */
public final class MathRevert extends ArithmeticException {
    public MathRevert(String message) {
        super(message);
    }
}
