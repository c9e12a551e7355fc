package io.poolstate.whitelist.publish;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.poolstate.protocol.whitelist.WhitelistCodec;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes whitelist messages through JetStream on {@code whitelist.pools.<chain>.minimal} and {@code .full},
 * message ids {@code <snapshot_id>-minimal} / {@code <snapshot_id>-full} so a re-publish is deduplicated. The
 * stream (capturing minimal, full and snapshot notes, not {@code .sync}) is created when missing.
 */
public final class WhitelistPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(WhitelistPublisher.class);
    public static final String STREAM = "WHITELIST";

    private final Connection nats;
    private final String chain;

    public WhitelistPublisher(Connection nats, String chain) {
        this.nats = nats;
        this.chain = chain;
    }

    /** Creates the stream if it does not exist. */
    public void ensureStream() throws IOException, JetStreamApiException {
        JetStreamManagement jsm = nats.jetStreamManagement();
        if (!jsm.getStreamNames().contains(STREAM)) {
            jsm.addStream(StreamConfiguration.builder().name(STREAM).subjects("whitelist.pools.*.minimal", "whitelist.pools.*.full",
                    "whitelist.snapshots.>").storageType(StorageType.File).build());
            LOG.info("created JetStream stream {}", STREAM);
        }
    }

    /** Publishes one update on both subjects; returns the bytes of the minimal and full payloads. */
    public int[] publish(WhitelistMessage m) throws IOException, JetStreamApiException {
        byte[] minimal = WhitelistCodec.writeMinimal(m);
        byte[] full = WhitelistCodec.writeFull(m);
        send("whitelist.pools." + chain + ".minimal", m.snapshotId() + "-minimal", minimal);
        send("whitelist.pools." + chain + ".full", m.snapshotId() + "-full", full);
        LOG.info("published {} update: snapshot={} prev={} pools={} bytes minimal={} full={}", m.type().wireName(), m.snapshotId(),
                m.prevSnapshotId(), m.poolIds().size(), minimal.length, full.length);
        return new int[] {minimal.length, full.length};
    }

    private void send(String subject, String id, byte[] data) throws IOException, JetStreamApiException {
        nats.jetStream().publish(NatsMessage.builder().subject(subject).headers(new Headers().put("Nats-Msg-Id", id)).data(data).build());
    }
}
