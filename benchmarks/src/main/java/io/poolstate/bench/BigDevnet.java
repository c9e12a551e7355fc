package io.poolstate.bench;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.DevnetStateCache;
import io.poolstate.devnet.deploy.DevnetDeployer;
import java.nio.file.Path;

/** The harnesses' large devnet: {@code pools} plain pools, 6 positions each plus 50–500 initialised ticks per V3/V4 pool, saved once. */
final class BigDevnet {
    private BigDevnet() {
    }

    static DevnetDeployer.Options options(int pools, int minTicks, int maxTicks) {
        return new DevnetDeployer.Options(pools, 6, 1, false, minTicks, maxTicks);
    }

    /** Starts the devnet from the user's cache ({@code ~/.cache/poolstate/devnet}), deploying and saving it first if needed. */
    static Devnet start(int port, Path dir, int pools) {
        return start(port, dir, pools, 50, 500);
    }

    /** As above with {@code minTicks}..{@code maxTicks} initialised ticks per V3/V4 pool (0, 0: only the positions' own). */
    static Devnet start(int port, Path dir, int pools, int minTicks, int maxTicks) {
        Devnet devnet = Devnet.start(port, dir, options(pools, minTicks, maxTicks), DevnetStateCache.userDefault());
        // Anvil restored with --load-state keeps its clock at the wall clock and rejects the next block (the saved head's
        // timestamp plus the block interval) once the saved head is older than that: set its clock back to the saved head.
        devnet.eth().rpc().call("evm_setTime", devnet.eth().latestHeader().timestamp());
        return devnet;
    }
}
