package io.poolstate.app.whales;

import io.poolstate.app.options.NetworkOptions;
import io.poolstate.app.options.PostgresOptions;
import io.poolstate.app.options.RpcOptions;
import io.poolstate.whales.snapshot.SnapshotOutcome;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./poolstate whales snapshot --once}: one snapshot for the current slot. The exit status says what happened,
 * so a cron job or a systemd timer can tell "nothing to do" from a failure.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Take one snapshot for the current interval slot and exit",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:a snapshot was taken",
            "1:the snapshot failed (stored as incomplete with its reason) or an error",
            "2:bad options or configuration",
            "3:nothing to do: the slot already has a complete snapshot",
            "4:nothing done: another process holds the snapshot lock (it is taking this slot)"})
public final class WhalesSnapshotCommand implements Callable<Integer> {
    /** Exit status when the slot already has a complete snapshot. */
    public static final int SLOT_DONE = 3;
    /** Exit status when another process holds the snapshot lock. */
    public static final int LOCK_HELD = 4;

    @Mixin
    WhaleOptions options;

    @Mixin
    NetworkOptions network;

    @Mixin
    RpcOptions rpc;

    @Mixin
    PostgresOptions postgres;

    @Option(names = "--once", description = "Take one snapshot and exit (the only mode of this command).")
    boolean once;

    @Override
    public Integer call() throws Exception {
        try (WhaleRuntime rt = new WhaleRuntime(options, network, rpc, postgres)) {
            return switch (rt.tracker.snapshot(Instant.now())) {
                case SnapshotOutcome.Taken t -> {
                    System.out.printf("whales: snapshot %d at block %d: slot=%s addresses=%d rpc_calls=%d rpc_requests=%d took=%dms%n",
                            t.snapshot().id(), t.snapshot().blockNumber(), t.snapshot().slotStart(), t.snapshot().addressCount(),
                            t.snapshot().rpcCalls(), t.snapshot().rpcRequests(), t.snapshot().durationMillis());
                    yield 0;
                }
                case SnapshotOutcome.SlotDone d -> {
                    System.out.println("whales: no snapshot taken: slot " + d.slot() + " already has complete snapshot " + d.snapshotId());
                    yield SLOT_DONE;
                }
                case SnapshotOutcome.LockHeld h -> {
                    System.out.println("whales: no snapshot taken: another process holds the snapshot lock for asset " + h.asset());
                    yield LOCK_HELD;
                }
                case SnapshotOutcome.Failed f -> {
                    System.err.println("whales: snapshot " + f.snapshotId() + " incomplete: " + f.reason());
                    yield 1;
                }
            };
        }
    }
}
