package io.poolstate.eth.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;

/** A guarded exchange waits for its lock within the call's time-out, and gives up with a transient time-out. */
class GuardedTransportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLockHeldElsewhereEndsTheCallAtItsTimeOut() throws Exception {
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread miner = Thread.ofPlatform().start(() -> {
            lock.writeLock().lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.writeLock().unlock();
            }
        });
        held.await();
        // the node is never reached: the call must end waiting for the lock
        try (GuardedTransport t = new GuardedTransport(RpcTransport.open(RpcEndpoint.parse("http://127.0.0.1:1"), JSON), p -> lock.readLock())) {
            // a call that waited for the lock without its time-out would block here until the lock is released
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatThrownBy(() -> t.exchange("eth_call",
                    JSON.createObjectNode().put("method", "eth_call"), Duration.ofMillis(200)))
                    .isInstanceOf(RpcTimeoutException.class).hasMessageContaining("waiting for its turn")
                    .satisfies(e -> assertThat(((RpcException) e).isTransient()).isTrue()));
            assertThat(t.supportsSubscriptions()).isFalse();
        } finally {
            release.countDown();
            miner.join();
        }
        assertThat(lock.isWriteLocked() || lock.getReadLockCount() > 0).as("no lock left held").isFalse();
    }
}
