package io.poolstate.arena.stream;

import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaView;
import io.poolstate.arena.ViewListener;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Bytes32;
import io.poolstate.http.BadRequestException;
import io.poolstate.http.push.PushMessage;
import io.poolstate.http.push.PushRequest;
import io.poolstate.http.push.PushServer;
import io.poolstate.http.push.PushSession;
import io.poolstate.http.push.WebSocketCodec;
import io.poolstate.protocol.stream.StreamCodec;
import io.poolstate.protocol.stream.StreamMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push stream ({@code /v1/stream}, {@link StreamCodec}): turns the arena's published views into one message per
 * applied block (and per revert, and per same-block change), each pool's change encoded once and shared by the
 * subscribers that follow it. A new subscriber gets a snapshot of its pools, then the messages. A subscriber that
 * names a message it received ({@code ?resume=SEQ:BLOCK_NUMBER:BLOCK_HASH}, or the SSE {@code Last-Event-ID}) gets
 * every message after it while it is still kept — the last {@code keep} messages, and none from before the arena last
 * started over — so a client that missed blocks, reverts included, catches up exactly; otherwise a snapshot with the
 * reason. Positions ({@code seq}) start at the hub's start time in microseconds, so two runs never share one.
 *
 * <p>Threads: {@link #published} runs on the arena's writer thread and only queues the view (never blocks); the
 * {@code arena-stream} thread owns every piece of state here and is the only one that queues messages to
 * subscribers, whose own threads write them ({@link PushSession}: a full queue drops that subscriber).
 */
public final class StreamHub implements ViewListener, PushServer.Endpoint, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);

    private sealed interface Command {
    }

    private record Published(ArenaView view, boolean reset) implements Command {
    }

    private record Subscribe(Subscriber subscriber, Resume resume) implements Command {
    }

    private record Unsubscribe(Subscriber subscriber) implements Command {
    }

    private record Resume(long seq, long blockNumber, Bytes32 blockHash) {
        static Resume parse(String s) {
            String[] p = s.split(":");
            try {
                if (p.length == 3) {
                    return new Resume(Long.parseLong(p[0]), Long.parseLong(p[1]), Bytes32.of(p[2]));
                }
            } catch (IllegalArgumentException e) {
                // answered below
            }
            throw new BadRequestException("resume must be SEQ:BLOCK_NUMBER:BLOCK_HASH of the last message received: resume=" + s);
        }

        @Override
        public String toString() {
            return seq + ":" + blockNumber + ":" + blockHash;
        }
    }

    private static final class Subscriber {
        final PushSession session;
        final StreamFilter filter;

        Subscriber(PushSession session, StreamFilter filter) {
            this.session = session;
            this.filter = filter;
        }
    }

    /** One message's worth of change, kept for resumes; the encoded changes are shared by every subscriber. */
    private static final class Event {
        final StreamMessage.Type type;
        final long seq;
        final long number;
        final Bytes32 hash;
        final Bytes32 parent;
        final ArenaView after;
        final Map<PoolId, String> changes; // id -> encoded change, in the order found
        final Map<PoolId, PoolSnapshot> changed;
        final List<PoolId> removed;
        final Map<PoolId, PoolSnapshot> removedStates;
        String all; // the message for subscribers of every pool, once built

        Event(StreamMessage.Type type, long seq, long number, Bytes32 hash, Bytes32 parent, ArenaView after, Map<PoolId, String> changes,
              Map<PoolId, PoolSnapshot> changed, Map<PoolId, PoolSnapshot> removedStates) {
            this.type = type;
            this.seq = seq;
            this.number = number;
            this.hash = hash;
            this.parent = parent;
            this.after = after;
            this.changes = changes;
            this.changed = changed;
            this.removedStates = removedStates;
            this.removed = List.copyOf(removedStates.keySet());
        }

        long tipNumber() {
            return type == StreamMessage.Type.REVERT ? number - 1 : number;
        }

        Bytes32 tipHash() {
            return type == StreamMessage.Type.REVERT ? parent : hash;
        }
    }

    private final LinkedBlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    private final ArenaMetrics metrics;
    private final int keep;
    private final Thread thread;
    private volatile boolean running = true;
    // arena-stream thread only:
    private final ArrayDeque<Event> log = new ArrayDeque<>();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private ArenaView current;
    private long seq = System.currentTimeMillis() * 1000;

    /** Keeps the last {@code keep} messages for resumes (at least the arena's journal depth: a few per block). */
    public StreamHub(ArenaMetrics metrics, int keep) {
        this.metrics = metrics;
        this.keep = keep;
        this.thread = Thread.ofPlatform().name("arena-stream").daemon().unstarted(this::run);
    }

    public StreamHub start() {
        thread.start();
        return this;
    }

    @Override
    public void published(ArenaView view, boolean reset) {
        if (view.mode() != ArenaMode.BUFFERING) {
            commands.add(new Published(view, reset));
        }
    }

    @Override
    public void open(PushRequest request, PushSession session) {
        StreamFilter filter = StreamFilter.parse(request.query());
        String resume = request.query().has("resume") ? request.query().get("resume") : request.lastEventId();
        Resume r = resume == null || resume.isBlank() ? null : Resume.parse(resume.trim());
        Subscriber s = new Subscriber(session, filter);
        session.onClose(() -> commands.add(new Unsubscribe(s)));
        commands.add(new Subscribe(s, r));
    }

    private void run() {
        while (running) {
            Command c;
            try {
                c = commands.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                switch (c) {
                    case Published p -> publish(p.view(), p.reset());
                    case Subscribe s -> subscribe(s.subscriber(), s.resume());
                    case Unsubscribe u -> {
                        if (subscribers.remove(u.subscriber())) {
                            metrics.streamClients.set(subscribers.size());
                        }
                        LOG.info("stream subscriber left: remote={} reason={}", u.subscriber().session.remote(), u.subscriber().session.closeReason());
                    }
                }
            } catch (RuntimeException e) {
                metrics.threadFailures.increment();
                LOG.error("stream failed, dropping its subscribers: reason={}", e.toString(), e);
                subscribers.forEach(s -> s.session.drop(WebSocketCodec.CLOSE_INTERNAL_ERROR, "stream failed: " + e.getClass().getSimpleName()));
                subscribers.clear();
                log.clear();
                metrics.streamClients.set(0);
            }
        }
    }

    private void publish(ArenaView view, boolean reset) {
        ArenaView before = current;
        current = view;
        if (before == null || reset) {
            log.clear();
            Event e = event(StreamMessage.Type.SNAPSHOT, view.blockNumber(), view.blockHash(), null, null, view);
            log.add(e);
            String reason = before == null ? null : "the arena started over from a fresh read at block " + view.blockNumber();
            for (Iterator<Subscriber> it = subscribers.iterator(); it.hasNext(); ) {
                Subscriber s = it.next();
                if (!send(s, snapshot(s.filter, e.seq, reason))) {
                    it.remove();
                }
            }
            metrics.streamClients.set(subscribers.size());
            return;
        }
        Event e;
        if (view.blockNumber() == before.blockNumber() + 1) {
            e = event(StreamMessage.Type.BLOCK, view.blockNumber(), view.blockHash(), before.blockHash(), before, view);
        } else if (view.blockNumber() == before.blockNumber() - 1) {
            e = event(StreamMessage.Type.REVERT, before.blockNumber(), before.blockHash(), view.blockHash(), before, view);
        } else if (view.blockNumber() == before.blockNumber() && view.blockHash().equals(before.blockHash())) {
            e = event(StreamMessage.Type.UPDATE, view.blockNumber(), view.blockHash(), null, before, view);
            if (e.changes.isEmpty() && e.removed.isEmpty()) {
                seq--; // nothing a subscriber can see changed
                return;
            }
        } else {
            publish(view, true); // not a step from the previous view: start over
            return;
        }
        log.add(e);
        while (log.size() > keep) {
            log.removeFirst();
        }
        for (Iterator<Subscriber> it = subscribers.iterator(); it.hasNext(); ) {
            Subscriber s = it.next();
            if (!send(s, message(e, s.filter))) {
                it.remove();
            }
        }
        metrics.streamClients.set(subscribers.size());
    }

    /**
     * An event: the pools that differ between the two views (by identity: an unchanged pool keeps its snapshot), found in
     * the parts of the views' pool tables they do not share.
     */
    private Event event(StreamMessage.Type type, long number, Bytes32 hash, Bytes32 parent, ArenaView before, ArenaView after) {
        long s = ++seq;
        Map<PoolId, String> changes = new LinkedHashMap<>();
        Map<PoolId, PoolSnapshot> changed = new HashMap<>();
        Map<PoolId, PoolSnapshot> removed = new LinkedHashMap<>();
        if (before != null) {
            after.forEachDifference(before, (id, old, now) -> {
                if (now == null) {
                    removed.put(id, old);
                    return;
                }
                String c = StreamCodec.change(old, now);
                if (c != null) {
                    changes.put(id, c);
                    changed.put(id, now);
                }
            });
        }
        return new Event(type, s, number, hash, parent, after, changes, changed, removed);
    }

    private PushMessage message(Event e, StreamFilter f) {
        String data;
        if (f.all()) {
            if (e.all == null) {
                e.all = StreamCodec.message(e.type, e.seq, e.number, e.hash, e.parent, List.copyOf(e.changes.values()), e.removed, null);
            }
            data = e.all;
        } else {
            List<String> changes = new ArrayList<>();
            e.changes.forEach((id, c) -> {
                if (f.matches(e.changed.get(id).descriptor())) {
                    changes.add(c);
                }
            });
            List<PoolId> removed = new ArrayList<>();
            e.removedStates.forEach((id, s) -> {
                if (f.matches(s.descriptor())) {
                    removed.add(id);
                }
            });
            data = StreamCodec.message(e.type, e.seq, e.number, e.hash, e.parent, changes, removed, null);
        }
        return new PushMessage(e.type.wireName(), id(e.seq, e.tipNumber(), e.tipHash()), data);
    }

    /** The subscribed pools at the current view, whole, as of message {@code seq}. */
    private PushMessage snapshot(StreamFilter f, long seq, String reason) {
        List<String> changes = new ArrayList<>();
        current.pools().values().stream().filter(p -> f.matches(p.descriptor())).sorted((a, b) -> a.descriptor().id().compareTo(b.descriptor().id()))
                .forEach(p -> changes.add(StreamCodec.change(null, p)));
        String data = StreamCodec.message(StreamMessage.Type.SNAPSHOT, seq, current.blockNumber(), current.blockHash(), null, changes, List.of(), reason);
        return new PushMessage(StreamMessage.Type.SNAPSHOT.wireName(), id(seq, current.blockNumber(), current.blockHash()), data);
    }

    private static String id(long seq, long number, Bytes32 hash) {
        return seq + ":" + number + ":" + hash;
    }

    private void subscribe(Subscriber s, Resume r) {
        if (!s.session.isOpen()) {
            return;
        }
        LOG.info("stream subscriber joined: remote={} transport={} pools={} tokens={} resume={}", s.session.remote(),
                s.session.webSocket() ? "websocket" : "sse", s.filter.all() ? "all" : s.filter.pools().size(), s.filter.tokens().size(), r);
        subscribers.add(s);
        metrics.streamClients.set(subscribers.size());
        if (current == null) {
            return; // the first view sends everyone a snapshot
        }
        if (r != null) {
            List<Event> after = resumeAfter(r);
            if (after != null) {
                metrics.streamResumes.increment();
                for (Event e : after) {
                    if (!send(s, message(e, s.filter))) {
                        subscribers.remove(s);
                        break;
                    }
                }
                metrics.streamClients.set(subscribers.size());
                return;
            }
            metrics.streamResumesRefused.increment();
        }
        String reason = r == null ? null : "cannot resume after " + r + ": the message is no longer kept (kept: seq=" + log.getFirst().seq + ".."
                + log.getLast().seq + ") or is not from this arena; here is the whole state";
        if (!send(s, snapshot(s.filter, log.getLast().seq, reason))) {
            subscribers.remove(s);
        }
        metrics.streamClients.set(subscribers.size());
    }

    /** The events after the one {@code r} names, or null when it is not kept (or names another block). */
    private List<Event> resumeAfter(Resume r) {
        List<Event> out = null;
        for (Event e : log) {
            if (out != null) {
                out.add(e);
            } else if (e.seq == r.seq()) {
                if (e.tipNumber() != r.blockNumber() || !e.tipHash().equals(r.blockHash())) {
                    return null;
                }
                out = new ArrayList<>();
            }
        }
        return out;
    }

    private boolean send(Subscriber s, PushMessage m) {
        if (s.session.offer(m)) {
            metrics.streamMessages.increment();
            return true;
        }
        if (s.session.closeReason() != null && s.session.closeReason().startsWith("slow consumer")) {
            metrics.streamDropped.increment();
            LOG.warn("stream subscriber dropped: remote={} reason={}", s.session.remote(), s.session.closeReason());
        }
        return false;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
