package io.poolstate.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.StorageType;
import io.poolstate.protocol.feed.FeedSubjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which feed of a chain publishes its block stream: a key in the JetStream key-value bucket
 * {@link FeedSubjects#LEASE_BUCKET} whose entries expire {@code ttl} after their last write. A feed takes the
 * lease by creating the key (only when absent), keeps it by updating it with the revision it last wrote
 * (compare-and-set), at least every {@code ttl / 4}; a failed update means another feed holds it. The holder
 * trusts its lease for {@code 3/4 ttl} after the start of its last successful write — less than the key lives
 * on the server — so an old holder has stopped before a new one can create the key.
 *
 * <p>A feed restarted under the same name finds the key still naming it (its previous process died holding the
 * lease): its first attempt takes the key over (compare-and-set on the entry it read) instead of waiting out the TTL.
 * Only the first attempt of a lease object does so: two live processes given one name by mistake do not take it from
 * each other back and forth — the older loses it at its next renewal and follows. The stream itself stays whole
 * either way, since each publish names the stream sequence it expects.
 *
 * <p>Threads: one caller (the feed's stream publisher).
 */
public final class FeedLease {
    private static final Logger LOG = LoggerFactory.getLogger(FeedLease.class);
    private static final int WRONG_LAST_SEQUENCE = 10071;

    private final KeyValueManagement kvm;
    private final Connection connection;
    private final String key;
    private final String feedId;
    private final Duration ttl;
    private final int replicas;
    private KeyValue kv;
    private long revision;
    private long validUntilNanos;
    private boolean firstAttempt = true;

    public FeedLease(Connection connection, long chainId, String feedId, Duration ttl, int replicas) throws IOException {
        if (ttl.toMillis() < 400) {
            throw new IllegalArgumentException("lease ttl below 400 ms: ttl=" + ttl);
        }
        this.connection = connection;
        this.kvm = connection.keyValueManagement();
        this.key = FeedSubjects.leaseKey(chainId);
        this.feedId = feedId;
        this.ttl = ttl;
        this.replicas = replicas;
    }

    /** Creates the bucket when missing (its TTL and replicas as given; an existing bucket keeps its own). */
    public void ensureBucket() throws IOException, JetStreamApiException {
        try {
            var status = kvm.getStatus(FeedSubjects.LEASE_BUCKET);
            if (!status.getTtl().equals(ttl)) {
                LOG.warn("feed lease bucket keeps its TTL: bucket={} ttl={} asked={}", FeedSubjects.LEASE_BUCKET, status.getTtl(), ttl);
            }
        } catch (JetStreamApiException e) {
            kvm.create(KeyValueConfiguration.builder().name(FeedSubjects.LEASE_BUCKET).ttl(ttl).maxHistoryPerKey(1).replicas(replicas)
                    .storageType(StorageType.File).build());
            LOG.info("feed lease bucket created: bucket={} ttl={} replicas={}", FeedSubjects.LEASE_BUCKET, ttl, replicas);
        }
        kv = connection.keyValue(FeedSubjects.LEASE_BUCKET);
    }

    /** How often the holder renews, and a follower tries to take it. */
    public Duration renewEvery() {
        return ttl.dividedBy(4);
    }

    /** Whether this feed may publish now: it holds the lease and its last write is recent enough. */
    public boolean held() {
        return revision > 0 && System.nanoTime() < validUntilNanos;
    }

    /**
     * Takes the lease when nobody holds it, or, at this object's first attempt, when the key names this feed (a
     * previous process of it died holding it); true when this feed holds it now.
     */
    public boolean tryAcquire() throws IOException {
        long start = System.nanoTime();
        boolean reclaim = firstAttempt;
        firstAttempt = false;
        try {
            revision = kv.create(key, feedId.getBytes(StandardCharsets.UTF_8));
            validUntilNanos = start + ttl.toNanos() * 3 / 4;
            return true;
        } catch (JetStreamApiException e) {
            revision = 0;
            if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                LOG.debug("feed lease not taken: key={} reason={}", key, e.getMessage());
                return false;
            }
        }
        return reclaim && reclaimOwn(start);
    }

    /** Takes over the key when it names this feed: compare-and-set on the revision read. */
    private boolean reclaimOwn(long start) throws IOException {
        try {
            KeyValueEntry e = kv.get(key);
            if (e == null || e.getValue() == null || !feedId.equals(e.getValueAsString())) {
                return false;
            }
            revision = kv.update(key, feedId.getBytes(StandardCharsets.UTF_8), e.getRevision());
            validUntilNanos = start + ttl.toNanos() * 3 / 4;
            LOG.info("feed lease taken back from a previous process of this feed: key={} feed={}", key, feedId);
            return true;
        } catch (JetStreamApiException e) {
            revision = 0;
            LOG.debug("feed lease not taken back: key={} reason={}", key, e.getMessage());
            return false;
        }
    }

    /** Extends the lease; false (and not held any more) when another feed took it or the write failed past its validity. */
    public boolean renew() throws IOException {
        long start = System.nanoTime();
        try {
            revision = kv.update(key, feedId.getBytes(StandardCharsets.UTF_8), revision);
            validUntilNanos = start + ttl.toNanos() * 3 / 4;
            return true;
        } catch (JetStreamApiException e) {
            revision = 0;
            LOG.warn("feed lease lost: key={} feed={} reason={}", key, feedId, e.getMessage());
            return false;
        }
    }

    /** Gives the lease up (shutdown): deletes the key if this feed still holds it, so a follower takes over at once. */
    public void release() {
        if (revision == 0) {
            return;
        }
        try {
            kv.delete(key, revision);
        } catch (IOException | JetStreamApiException e) {
            LOG.debug("feed lease release failed: key={} reason={}", key, e.getMessage());
        }
        revision = 0;
    }

    /** The feed holding the lease now, or null. */
    public String holder() throws IOException {
        try {
            KeyValueEntry e = kv.get(key);
            return e == null || e.getValue() == null ? null : e.getValueAsString();
        } catch (JetStreamApiException e) {
            return null;
        }
    }
}
