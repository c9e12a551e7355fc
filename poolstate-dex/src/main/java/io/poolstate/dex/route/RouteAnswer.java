package io.poolstate.dex.route;

import java.math.BigInteger;
import java.util.List;

/**
 * The best way found to swap: one route, or two pool-disjoint routes sharing the amount ({@code split}), with the
 * totals (token units) and what the search looked at.
 *
 * @param routes         the route, or the two routes of a split; empty when no route can carry the amount
 * @param amountIn       total paid in (the sum over routes)
 * @param amountOut      total received
 * @param routesFound    distinct complete routes the search evaluated at the full amount
 * @param quotes         pool quotes computed (single-pool swap simulations), split search included
 */
public record RouteAnswer(List<Route> routes, BigInteger amountIn, BigInteger amountOut, int routesFound, long quotes) {
    public RouteAnswer {
        routes = List.copyOf(routes);
    }

    /** Whether some route carries the amount. */
    public boolean found() {
        return !routes.isEmpty();
    }
}
