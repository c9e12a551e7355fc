package io.poolstate.testkit;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The frozen/thawed switch of a proxy: threads that would forward wait here while frozen, on a condition (no
 * polling). Safe from any thread.
 */
final class FreezeGate {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean frozen;

    void freeze() {
        set(true);
    }

    void thaw() {
        set(false);
    }

    boolean frozen() {
        lock.lock();
        try {
            return frozen;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns at once when thawed, else runs {@code onHeld} and waits until thawed or until {@code cancelled} is
     * true (checked on every {@link #wake()}); returns whether the caller may go on (not cancelled).
     */
    boolean pass(BooleanSupplier cancelled, Runnable onHeld) throws InterruptedException {
        lock.lock();
        try {
            if (frozen && !cancelled.getAsBoolean()) {
                onHeld.run();
            }
            while (frozen && !cancelled.getAsBoolean()) {
                changed.await();
            }
            return !cancelled.getAsBoolean();
        } finally {
            lock.unlock();
        }
    }

    /** Makes waiting threads check their cancellation (after a connection or the proxy was closed). */
    void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void set(boolean f) {
        lock.lock();
        try {
            frozen = f;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
