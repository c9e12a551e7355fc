package io.poolstate.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Postgres session-level advisory lock named by a string: held on one connection while work runs, so two
 * processes (or two pools in one) never run the same work at once. The name is hashed to the lock's 64-bit key
 * (FNV-1a).
 *
 * <p>A session lock lives as long as its connection: if that connection breaks (server restart, network, an
 * administrator's {@code pg_terminate_backend}), the lock is gone and another process may take it. So while the
 * work runs, a watcher thread ({@code lock-watch-<name>}) asks the server every {@code checkEvery} whether the
 * lock is still held on that connection; when it is not, the watcher interrupts the working thread and
 * {@link #tryRun} throws {@link LockLostException} once the work has stopped. A loss found only when the lock is
 * released (the connection broke after the last check) is a {@link LockLostException} too when the work succeeded;
 * when the work failed, its own exception is thrown, with the loss attached as suppressed. Thread-safe.
 */
public final class AdvisoryLock {
    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLock.class);
    /** How often a held lock is checked by default. */
    public static final Duration CHECK_EVERY = Duration.ofSeconds(5);

    /** Work run under the lock. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private final DataSource ds;
    private final String name;
    private final long key;
    private final Duration checkEvery;

    public AdvisoryLock(DataSource ds, String name) {
        this(ds, name, CHECK_EVERY);
    }

    public AdvisoryLock(DataSource ds, String name, Duration checkEvery) {
        this.ds = ds;
        this.name = name;
        this.checkEvery = checkEvery;
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        this.key = h;
    }

    public String name() {
        return name;
    }

    /** The lock's 64-bit key, as {@code pg_locks} shows it: {@code classid} the high 32 bits, {@code objid} the low ones. */
    public long key() {
        return key;
    }

    /**
     * Runs {@code work} holding the lock; returns false, without running it, when someone else holds it.
     *
     * @throws LockLostException when the lock was lost while the work ran (the work was interrupted)
     */
    public boolean tryRun(Work work) throws Exception {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                s.setLong(1, key);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (!r.getBoolean(1)) {
                        return false;
                    }
                }
            }
            AtomicReference<String> lost = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            Thread worker = Thread.currentThread();
            Thread watcher = Thread.ofVirtual().name("lock-watch-" + name).start(() -> watch(c, worker, done, lost));
            Exception failure = null;
            try {
                work.run();
            } catch (Exception e) {
                failure = e;
            } finally {
                done.countDown();
                watcher.join();
            }
            if (lost.get() != null) {
                Thread.interrupted(); // the watcher's interrupt, not a request to stop the caller's thread
                LOG.error("advisory lock lost, run stopped: lock={} reason={}", name, lost.get());
                throw new LockLostException(name, lost.get(), failure);
            }
            String unlockFailed = unlock(c);
            if (failure != null) {
                if (unlockFailed != null) {
                    failure.addSuppressed(new LockLostException(name, unlockFailed, null));
                }
                throw failure; // the work's own failure says what went wrong, not the broken connection behind it
            }
            if (unlockFailed != null) {
                LOG.error("advisory lock lost before its work was confirmed: lock={} reason={}", name, unlockFailed);
                throw new LockLostException(name, unlockFailed, null);
            }
            return true;
        }
    }

    /**
     * Releases the lock on {@code c}; null when released, else why not: the connection broke (the server restarted,
     * say) after the watcher's last check, so the lock was gone for part of the work.
     */
    private String unlock(Connection c) {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            s.setLong(1, key);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1) ? null : "the server no longer lists the lock on its connection";
            }
        } catch (SQLException e) {
            return "the lock's connection failed: " + e.getMessage();
        }
    }

    /** The watcher: checks the lock until the work is done; on loss records why and interrupts the worker. */
    private void watch(Connection c, Thread worker, CountDownLatch done, AtomicReference<String> lost) {
        try {
            while (!done.await(checkEvery.toMillis(), TimeUnit.MILLISECONDS)) {
                String reason = check(c);
                if (reason != null) {
                    lost.set(reason);
                    worker.interrupt();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Null while the lock is held on {@code c}, else why not. */
    private String check(Connection c) {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                + "AND pid = pg_backend_pid() AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1")) {
            s.setLong(1, key >>> 32);
            s.setLong(2, key & 0xffffffffL);
            s.setQueryTimeout((int) Math.max(1, checkEvery.toSeconds()));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1) == 1 ? null : "the server no longer lists the lock on its connection";
            }
        } catch (SQLException e) {
            return "the lock's connection failed: " + e.getMessage();
        }
    }
}
