package io.poolstate.arena;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The served views of the blocks still in the undo journal: the tip and up to {@code depth} blocks below it on the
 * chain the arena follows, each the last view published at that block. A revert drops the reverted block; a reset (a
 * fresh start-up read) drops everything before it, since the journal starts again there. What {@code ?block=N}
 * answers from.
 *
 * <p>Single writer: the arena's writer thread ({@link #published}); {@link #at} from any thread.
 */
public final class ViewHistory implements ViewListener {
    /** What a lookup found: the view at the block, or why there is none. */
    public sealed interface Lookup {
        /** The served view at the block asked for. */
        record Found(ArenaView view) implements Lookup {
        }

        /** The block is older than the journal holds ({@code oldest} is the oldest kept; 0: none yet). */
        record Gone(long block, long oldest) implements Lookup {
        }

        /** The block is above the applied tip. */
        record Future(long block, long tip) implements Lookup {
        }
    }

    private final int depth;
    private final ConcurrentSkipListMap<Long, ArenaView> views = new ConcurrentSkipListMap<>();

    /** Keeps the tip and {@code depth} blocks below it (the journal depth). */
    public ViewHistory(int depth) {
        if (depth < 0) {
            throw new IllegalArgumentException("depth must be >= 0: depth=" + depth);
        }
        this.depth = depth;
    }

    @Override
    public void published(ArenaView view, boolean reset) {
        if (view.mode() == ArenaMode.BUFFERING) {
            return; // nothing read yet
        }
        long n = view.blockNumber();
        if (reset) {
            views.clear();
        } else {
            views.tailMap(n, false).clear(); // reverted blocks
        }
        views.put(n, view);
        views.headMap(n - depth, false).clear();
    }

    /** The oldest block kept (0: none yet). */
    public long oldest() {
        Map.Entry<Long, ArenaView> first = views.firstEntry();
        return first == null ? 0 : first.getKey();
    }

    /** The view at block {@code number}, or why there is none. */
    public Lookup at(long number) {
        ArenaView v = views.get(number);
        if (v != null) {
            return new Lookup.Found(v);
        }
        Map.Entry<Long, ArenaView> last = views.lastEntry();
        if (last != null && number > last.getKey()) {
            return new Lookup.Future(number, last.getKey());
        }
        Map.Entry<Long, ArenaView> first = views.firstEntry();
        return new Lookup.Gone(number, first == null ? 0 : first.getKey());
    }
}
