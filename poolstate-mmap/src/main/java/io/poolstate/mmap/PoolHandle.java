package io.poolstate.mmap;

/**
 * A pool id resolved once for fast reads: {@link ArenaFileReader#readPrice} keeps the record number it found
 * here and looks the id up again only when the file's generation changes or the record no longer holds this pool.
 *
 * <p>Not thread-safe: owned by the thread of the reader it is used with.
 */
public final class PoolHandle {
    final byte[] id = new byte[32];
    final int idLength;
    final long word0;
    final long word1;
    final long word2;
    final long word3;
    int record = -1;
    long generation = -1;

    private PoolHandle(byte[] raw) {
        System.arraycopy(raw, 0, id, 0, raw.length);
        this.idLength = raw.length;
        this.word0 = word(id, 0);
        this.word1 = word(id, 8);
        this.word2 = word(id, 16);
        this.word3 = word(id, 24);
    }

    /**
     * A handle for {@code 0x} + 40 hex digits (a pool address) or {@code 0x} + 64 hex digits (a V4 PoolId), any case.
     *
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static PoolHandle of(String id) {
        if (id == null || !(id.startsWith("0x") || id.startsWith("0X")) || (id.length() != 42 && id.length() != 66)) {
            throw new IllegalArgumentException("pool id must be 0x + 40 or 64 hex digits: value=" + id);
        }
        byte[] b = new byte[(id.length() - 2) / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = Character.digit(id.charAt(2 + 2 * i), 16);
            int lo = Character.digit(id.charAt(3 + 2 * i), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("pool id is not hex: value=" + id);
            }
            b[i] = (byte) (hi << 4 | lo);
        }
        return new PoolHandle(b);
    }

    /** A handle for a raw id of 20 or 32 bytes. */
    public static PoolHandle of(byte[] id) {
        if (id.length != 20 && id.length != 32) {
            throw new IllegalArgumentException("pool id must be 20 or 32 bytes: length=" + id.length);
        }
        return new PoolHandle(id.clone());
    }

    public String id() {
        return PoolRecord.hex(id, idLength);
    }

    static long word(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xffL);
        }
        return v;
    }

    @Override
    public String toString() {
        return "PoolHandle[" + id() + "]";
    }
}
