package io.poolstate.dex.route;

import java.math.BigInteger;
import java.util.List;

/**
 * A path of one to three swaps through distinct pools, each leg's output the next leg's input (token units).
 */
public record Route(List<Leg> legs) {
    public Route {
        legs = List.copyOf(legs);
        if (legs.isEmpty()) {
            throw new IllegalArgumentException("a route has at least one leg");
        }
    }

    /** What the first leg takes in. */
    public BigInteger amountIn() {
        return legs.getFirst().amountIn();
    }

    /** What the last leg pays out. */
    public BigInteger amountOut() {
        return legs.getLast().amountOut();
    }
}
