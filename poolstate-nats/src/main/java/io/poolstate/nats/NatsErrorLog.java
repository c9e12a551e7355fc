package io.poolstate.nats;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the NATS client reports, as plain log lines without the flood: a failure is logged the first time, then
 * at most once a minute per kind while it repeats (a server down makes the client fail every reconnect attempt),
 * with how many were left out; flow control and other routine notices stay at debug. Thread-safe.
 */
final class NatsErrorLog implements ErrorListener {
    private static final Logger LOG = LoggerFactory.getLogger(NatsErrorLog.class);
    private static final long QUIET_NANOS = 60_000_000_000L;

    private final String where;
    private final Map<String, long[]> last = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();

    NatsErrorLog(String where) {
        this.where = where;
    }

    /** Every error and exception the client reported, logged or not. */
    long reported() {
        return total.get();
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
        warn("error", error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        warn(exp.getClass().getSimpleName(), String.valueOf(exp.getMessage()));
    }

    @Override
    public void slowConsumerDetected(Connection conn, io.nats.client.Consumer consumer) {
        warn("slow consumer", "messages are arriving faster than they are handled");
    }

    @Override
    public void heartbeatAlarm(Connection conn, JetStreamSubscription sub, long lastStreamSequence, long lastConsumerSequence) {
        warn("heartbeat alarm", "no heartbeat from the server for a subscription, last stream sequence " + lastStreamSequence);
    }

    @Override
    public void flowControlProcessed(Connection conn, JetStreamSubscription sub, String subject, FlowControlSource source) {
        LOG.debug("nats flow control: subject={} source={}", subject, source);
    }

    @Override
    public void messageDiscarded(Connection conn, Message msg) {
        warn("message discarded", "the client dropped a message (pending limit)");
    }

    private void warn(String kind, String message) {
        total.incrementAndGet();
        long now = System.nanoTime();
        long[] seen = last.computeIfAbsent(kind, k -> new long[] {now - QUIET_NANOS - 1, 0});
        synchronized (seen) {
            if (now - seen[0] > QUIET_NANOS) {
                LOG.warn("nats {}: {} servers={}{}", kind, message, where, seen[1] > 0 ? " (" + seen[1] + " more since the last line)" : "");
                seen[0] = now;
                seen[1] = 0;
            } else {
                seen[1]++;
            }
        }
    }
}
