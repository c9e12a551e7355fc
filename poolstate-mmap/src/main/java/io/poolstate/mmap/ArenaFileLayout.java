package io.poolstate.mmap;

/**
 * The byte layout of the arena file (layout version {@value #VERSION}): the arena's served pools at one block,
 * written by the arena's writer thread into a memory-mapped file that readers in other processes map read-only.
 * Every integer is little-endian; unsigned big integers (uint160 price, uint128 liquidity, uint112 reserves) are
 * stored as little-endian byte strings of the width given, signed ones (int128 liquidityNet) in two's complement.
 * The same layout is described for other languages in {@code docs/ARENA_FILE.md}.
 *
 * <pre>
 * File: [ header: 4096 bytes ][ pool index: indexSlots x 48 ][ records: recordCapacity x 256 ][ tick region ]
 *
 * Header (offset 0)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Magic "PSARENA\0" (8 bytes)                          |  0
 *  +---------------------------------------------------------------+
 *  |          Layout version (int32)                               |  8
 *  +---------------------------------------------------------------+
 *  |          Status (int32): 1 live, 2 superseded, 3 closed       |  12
 *  +---------------------------------------------------------------+
 *  |          Generation (int64)                                   |  16
 *  +---------------------------------------------------------------+
 *  |          Chain id (int64)                                     |  24
 *  +---------------------------------------------------------------+
 *  |          Header sequence (int64, seqlock: odd while a block   |  32
 *  |          is being written)                                    |
 *  +---------------------------------------------------------------+
 *  |          Block number (int64)                                 |  40
 *  +---------------------------------------------------------------+
 *  |          Block hash (32 bytes)                                |  48
 *  +---------------------------------------------------------------+
 *  |          Mode (int32): 0 buffering 1 scraping 2 replaying     |  80
 *  |          3 live                                               |
 *  +---------------------------------------------------------------+
 *  |          Pool count (int32)                                   |  84
 *  +---------------------------------------------------------------+
 *  |          Index slots (int32, a power of two)                  |  88
 *  +---------------------------------------------------------------+
 *  |          Record capacity (int32)                              |  92
 *  +---------------------------------------------------------------+
 *  |          Index offset (int64)                                 |  96
 *  +---------------------------------------------------------------+
 *  |          Records offset (int64)                               |  104
 *  +---------------------------------------------------------------+
 *  |          Tick region offset (int64)                           |  112
 *  +---------------------------------------------------------------+
 *  |          Tick region length in bytes (int64)                  |  120
 *  +---------------------------------------------------------------+
 *  |          Record length (int32) = 256                          |  128
 *  +---------------------------------------------------------------+
 *  |          Tick entry length (int32) = 40                       |  132
 *  +---------------------------------------------------------------+
 *  |          Updated at, epoch milliseconds (int64)               |  136
 *  +---------------------------------------------------------------+
 *  |          Blocks written (int64)                               |  144
 *  +---------------------------------------------------------------+
 *  |          Writer process id (int64)                            |  152
 *  +---------------------------------------------------------------+
 *  |          zero up to 4096                                      |  160
 *  +---------------------------------------------------------------+
 *
 * Pool index slot (48 bytes; open addressing, linear probing; slot = low 64 bits of the id's first 8 bytes,
 * read little-endian, AND (indexSlots - 1))
 *  +---------------------------------------------------------------+
 *  |  Id length (int32): 0 empty, -1 deleted, 20 address, 32 V4 id |  0
 *  +---------------------------------------------------------------+
 *  |  Record number (int32)                                        |  4
 *  +---------------------------------------------------------------+
 *  |  Pool id (32 bytes; an address is followed by 12 zero bytes)  |  8
 *  +---------------------------------------------------------------+
 *  |  zero (8 bytes)                                               |  40
 *  +---------------------------------------------------------------+
 *
 * Pool record (256 bytes, at records offset + record number x 256)
 *  +---------------------------------------------------------------+
 *  |  Record sequence (int64, seqlock: odd while being written)    |  0
 *  +---------------------------------------------------------------+
 *  |  sqrtPriceX96 (uint160 in 24 bytes; Q64.96; 0 for V2)         |  8
 *  +---------------------------------------------------------------+
 *  |  Liquidity (uint128 in 16 bytes; 0 for V2)                    |  32
 *  +---------------------------------------------------------------+
 *  |  Tick (int32; 0 for V2)                                       |  48
 *  +---------------------------------------------------------------+
 *  |  Swap fee now (int32, pips: V3 fee, V4 LP fee, V2 3000)       |  52
 *  +---------------------------------------------------------------+
 *  |  Block number the record was last written at (int64)         |  56
 *  +---------------------------------------------------------------+
 *  |  Reserve0 (uint112 in 16 bytes; 0 for V3/V4)                  |  64
 *  +---------------------------------------------------------------+
 *  |  Reserve1 (uint112 in 16 bytes; 0 for V3/V4)                  |  80
 *  +---------------------------------------------------------------+
 *  |  Status (int32): 0 free, 1 served                             |  96
 *  +---------------------------------------------------------------+
 *  |  Protocol (int32): 2, 3 or 4 (Uniswap V2, V3, V4)             |  100
 *  +---------------------------------------------------------------+
 *  |  Id length (int32): 20 or 32                                  |  104
 *  +---------------------------------------------------------------+
 *  |  Protocol fee (int32, V4 pips; 0 otherwise)                   |  108
 *  +---------------------------------------------------------------+
 *  |  Pool id (32 bytes)                                           |  112
 *  +---------------------------------------------------------------+
 *  |  Token0 (20 bytes)                 |  Key fee (int32; V2 0)   |  144, 164
 *  +---------------------------------------------------------------+
 *  |  Token1 (20 bytes)                 |  Tick spacing (int32)    |  168, 188
 *  +---------------------------------------------------------------+
 *  |  Hooks (20 bytes; zero unless V4)  |  Tick count (int32)      |  192, 212
 *  +---------------------------------------------------------------+
 *  |  Tick array offset in the file (int64)                        |  216
 *  +---------------------------------------------------------------+
 *  |  Tick array capacity, entries (int32)                         |  224
 *  +---------------------------------------------------------------+
 *  |  Token0 decimals (int8, -1 unknown) | Token1 decimals | 0 0   |  228
 *  +---------------------------------------------------------------+
 *  |  Block number the pool was read at (int64, scraped_at)        |  232
 *  +---------------------------------------------------------------+
 *  |  zero (16 bytes)                                              |  240
 *  +---------------------------------------------------------------+
 *
 * Tick entry (40 bytes; a pool's initialised ticks in ascending tick order, tick count entries)
 *  +---------------------------------------------------------------+
 *  |  Tick (int32)                      |  zero (int32)            |  0
 *  +---------------------------------------------------------------+
 *  |  liquidityGross (uint128 in 16 bytes)                         |  8
 *  +---------------------------------------------------------------+
 *  |  liquidityNet (int128 in 16 bytes, two's complement)          |  24
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Seqlocks.</b> The writer makes a record's sequence odd, changes the record (and its tick array, which only
 * that record points to), then makes it even again. A reader reads the sequence, waits while it is odd, copies the
 * fields, then reads the sequence again: equal, and the copy is one consistent version of the record; different,
 * and it retries. A reader must bounds-check the tick offset and count it copied before using them (a torn copy
 * may hold garbage until the sequence check rejects it). The header sequence brackets a whole block: odd from
 * before the first record of a block is written until its number and hash are; a reader that reads pools between
 * two equal even header sequences has every one of them at the header's block.
 *
 * <p><b>Growth.</b> Capacities never change in a mapped file. When the writer needs more pool records, index slots or
 * tick space, it writes a complete new file (next generation, larger) beside the old one, renames it over the path,
 * and then sets the old file's status to superseded; a reader that sees a status other than live re-opens the path.
 * Renaming keeps the old file's mapping valid, so a reader in the middle of a read is never cut off. Status closed:
 * the writer stopped; the content is its last block.
 */
public final class ArenaFileLayout {
    private ArenaFileLayout() {
    }

    /** "PSARENA\0" read as a little-endian int64. */
    public static final long MAGIC = 0x00414E4552415350L;
    public static final int VERSION = 1;

    public static final int STATUS_LIVE = 1;
    public static final int STATUS_SUPERSEDED = 2;
    public static final int STATUS_CLOSED = 3;

    public static final int HEADER_LENGTH = 4096;
    public static final int H_MAGIC = 0;
    public static final int H_VERSION = 8;
    public static final int H_STATUS = 12;
    public static final int H_GENERATION = 16;
    public static final int H_CHAIN_ID = 24;
    public static final int H_SEQUENCE = 32;
    public static final int H_BLOCK_NUMBER = 40;
    public static final int H_BLOCK_HASH = 48;
    public static final int H_MODE = 80;
    public static final int H_POOL_COUNT = 84;
    public static final int H_INDEX_SLOTS = 88;
    public static final int H_RECORD_CAPACITY = 92;
    public static final int H_INDEX_OFFSET = 96;
    public static final int H_RECORDS_OFFSET = 104;
    public static final int H_TICKS_OFFSET = 112;
    public static final int H_TICKS_LENGTH = 120;
    public static final int H_RECORD_LENGTH = 128;
    public static final int H_TICK_ENTRY_LENGTH = 132;
    public static final int H_UPDATED_AT_MILLIS = 136;
    public static final int H_BLOCKS_WRITTEN = 144;
    public static final int H_WRITER_PID = 152;

    public static final int SLOT_LENGTH = 48;
    public static final int S_ID_LENGTH = 0;
    public static final int S_RECORD = 4;
    public static final int S_ID = 8;
    public static final int SLOT_EMPTY = 0;
    public static final int SLOT_DELETED = -1;

    public static final int RECORD_LENGTH = 256;
    public static final int R_SEQUENCE = 0;
    public static final int R_SQRT_PRICE_X96 = 8;
    public static final int R_LIQUIDITY = 32;
    public static final int R_TICK = 48;
    public static final int R_SWAP_FEE = 52;
    public static final int R_WRITTEN_AT = 56;
    public static final int R_RESERVE0 = 64;
    public static final int R_RESERVE1 = 80;
    public static final int R_STATUS = 96;
    public static final int R_PROTOCOL = 100;
    public static final int R_ID_LENGTH = 104;
    public static final int R_PROTOCOL_FEE = 108;
    public static final int R_ID = 112;
    public static final int R_TOKEN0 = 144;
    public static final int R_KEY_FEE = 164;
    public static final int R_TOKEN1 = 168;
    public static final int R_TICK_SPACING = 188;
    public static final int R_HOOKS = 192;
    public static final int R_TICK_COUNT = 212;
    public static final int R_TICK_OFFSET = 216;
    public static final int R_TICK_CAPACITY = 224;
    public static final int R_DECIMALS0 = 228;
    public static final int R_DECIMALS1 = 229;
    public static final int R_SCRAPED_AT = 232;
    public static final int RECORD_FREE = 0;
    public static final int RECORD_SERVED = 1;

    public static final int TICK_ENTRY_LENGTH = 40;
    public static final int T_TICK = 0;
    public static final int T_GROSS = 8;
    public static final int T_NET = 24;

    /** The index slot a pool id starts probing at: its first 8 bytes as a little-endian int64, masked. */
    public static int homeSlot(long idFirstWordLittleEndian, int indexSlots) {
        return (int) (idFirstWordLittleEndian & (indexSlots - 1));
    }

    /** The offset of record {@code n}. */
    public static long recordOffset(long recordsOffset, int n) {
        return recordsOffset + (long) n * RECORD_LENGTH;
    }
}
