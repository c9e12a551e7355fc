package io.poolstate.app.options;

import picocli.CommandLine.Option;

/** {@code --nats-replicas}: copies of the JetStream streams and buckets a command creates, on a NATS cluster. */
public final class NatsReplicaOptions {
    @Option(names = "--nats-replicas", paramLabel = "N", defaultValue = "1",
            description = "Replicas of the JetStream streams and key-value buckets this command creates (3 on a 3-node cluster survives the loss of a node; default: ${DEFAULT-VALUE}).")
    int replicas;

    /** The replicas asked for, checked (1..5). */
    public int replicas() {
        if (replicas < 1 || replicas > 5) {
            throw new IllegalArgumentException("--nats-replicas must lie in 1..5: value=" + replicas);
        }
        return replicas;
    }
}
