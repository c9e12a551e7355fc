package io.poolstate.app.whales;

import io.poolstate.whales.snapshot.SnapshotOutcome;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./poolstate whales snapshot --once}: one snapshot for the current slot (none if the slot has one). */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Take one snapshot for the current interval slot and exit")
public final class WhalesSnapshotCommand implements Callable<Integer> {
    @Mixin
    WhaleOptions options;

    @Option(names = "--once", description = "Take one snapshot and exit (the only mode of this command).")
    boolean once;

    @Override
    public Integer call() throws Exception {
        try (WhaleRuntime rt = new WhaleRuntime(options)) {
            SnapshotOutcome o = rt.tracker.snapshot(Instant.now());
            switch (o) {
                case SnapshotOutcome.Taken t -> System.out.printf("whales: snapshot %d at block %d: addresses=%d rpc_requests=%d took=%dms%n",
                        t.snapshot().id(), t.snapshot().blockNumber(), t.snapshot().addressCount(), t.snapshot().rpcCalls(), t.snapshot().durationMillis());
                case SnapshotOutcome.Skipped s -> System.out.println("whales: no snapshot taken: " + s.reason());
                case SnapshotOutcome.Failed f -> {
                    System.err.println("whales: snapshot " + f.snapshotId() + " incomplete: " + f.reason());
                    return 1;
                }
            }
            return 0;
        }
    }
}
