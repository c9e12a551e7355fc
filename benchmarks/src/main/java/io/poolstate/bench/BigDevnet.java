package io.poolstate.bench;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.DevnetStateCache;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.npm.NpmPackages;
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

    /**
     * Restores the saved devnet, never deploys: fails with the entry it looked for when the devnet is not saved (a
     * 10,000-pool deployment takes over half an hour; start it on purpose with {@link #start(int, Path, int, int, int)}).
     */
    static Devnet restore(int port, Path dir, int pools, int minTicks, int maxTicks) {
        DevnetDeployer.Options options = options(pools, minTicks, maxTicks);
        Path entry = DevnetStateCache.userDefault().entry(options, NpmPackages.locate());
        if (!DevnetStateCache.complete(entry)) {
            throw new IllegalStateException("no saved devnet for " + options.key() + " at " + entry + " (not deploying one here)");
        }
        return Devnet.start(port, dir, options, DevnetStateCache.userDefault());
    }

    /**
     * Sets a restored devnet's clock back to its saved head, so that transactions can be mined on it: Anvil restored
     * with {@code --load-state} keeps its clock at the wall clock, and rejects the next block (the saved head's
     * timestamp plus the block interval) once the saved head is older than that.
     */
    static Devnet clockAtHead(Devnet devnet) {
        devnet.eth().rpc().call("evm_setTime", devnet.eth().latestHeader().timestamp());
        return devnet;
    }
}
