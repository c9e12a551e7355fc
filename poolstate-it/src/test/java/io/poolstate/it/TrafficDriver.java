package io.poolstate.it;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.traffic.TrafficGenerator;
import java.util.List;

/**
 * Devnet traffic with reorgs on a thread of its own, one block every {@code pauseMillis}, that a test can hold
 * between two blocks (the chain then stands still while it compares, or while it makes a reorg of its own) and
 * release again.
 */
final class TrafficDriver implements AutoCloseable {
    private final TrafficGenerator generator;
    private final Thread thread;
    private final Object lock = new Object();
    private final long pauseMillis;
    private boolean held;
    private boolean parked;
    private volatile long mined;

    TrafficDriver(Devnet devnet, long seed, int reorgEvery, int maxReorgDepth, long pauseMillis) {
        this.pauseMillis = pauseMillis;
        this.generator = new TrafficGenerator(devnet.chain(), devnet.deployment(),
                new TrafficGenerator.Options(Integer.MAX_VALUE, seed, 6, reorgEvery, maxReorgDepth));
        this.thread = Thread.ofPlatform().name("traffic").daemon().start(() -> generator.run(this::onBlock));
    }

    private void onBlock(long number, List<DevChain.Mined> txs) {
        mined++;
        synchronized (lock) {
            while (held) {
                parked = true;
                lock.notifyAll();
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    generator.stop();
                    return;
                }
            }
            parked = false;
        }
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            generator.stop();
        }
    }

    /** Stops traffic between two blocks; returns once it stands still. */
    void hold() throws InterruptedException {
        synchronized (lock) {
            held = true;
            long deadline = System.currentTimeMillis() + 60_000;
            while (!parked) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new AssertionError("traffic did not stop within 60 s");
                }
                lock.wait(left);
            }
        }
    }

    void release() {
        synchronized (lock) {
            held = false;
            lock.notifyAll();
        }
    }

    long blocksMined() {
        return mined;
    }

    /** Lets {@code n} more blocks be mined, then holds again. */
    void advance(int n) throws InterruptedException {
        long target = mined + n;
        release();
        while (mined < target) {
            Thread.sleep(20);
        }
        hold();
    }

    @Override
    public void close() {
        generator.stop();
        release();
        thread.interrupt();
    }
}
