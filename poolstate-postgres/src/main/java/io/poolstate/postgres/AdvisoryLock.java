package io.poolstate.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;

/**
 * A Postgres session-level advisory lock named by a string: held on one connection while work runs, so two
 * processes (or two pools in one) never run the same work at once. The name is hashed to the lock's 64-bit key
 * (FNV-1a). Thread-safe.
 */
public final class AdvisoryLock {
    /** Work run under the lock. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private final DataSource ds;
    private final String name;
    private final long key;

    public AdvisoryLock(DataSource ds, String name) {
        this.ds = ds;
        this.name = name;
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        this.key = h;
    }

    public String name() {
        return name;
    }

    /** Runs {@code work} holding the lock; returns false, without running it, when someone else holds it. */
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
            try {
                work.run();
                return true;
            } finally {
                try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    s.setLong(1, key);
                    s.execute();
                }
            }
        }
    }
}
