#!/usr/bin/env python3
"""Reads the poolstate arena file (layout version 1, docs/ARENA_FILE.md) from another process.

The arena writes its served pools into a memory-mapped file after each block; this reader maps it read-only
and copies pools out under the seqlocks: a copy whose sequence moved is retried, never returned.

    python3 arena_file.py FILE              # every pool at one block, as JSON
    python3 arena_file.py FILE POOL_ID      # one pool with its ticks, at the block the header names

As a library: ``with ArenaFile(path) as f: f.snapshot()`` / ``f.read_pool("0x...")``. Only the standard
library (mmap, struct). CPython reads an aligned 8-byte sequence in one load on x86-64 and arm64; the loads
are made in program order by the interpreter (a C reader uses __atomic_load_n with __ATOMIC_ACQUIRE).
"""
import json
import mmap
import os
import struct
import sys
import time

MAGIC = 0x00414E4552415350  # "PSARENA\0" little-endian
VERSION = 1
STATUS_LIVE, STATUS_SUPERSEDED, STATUS_CLOSED = 1, 2, 3
HEADER_LENGTH = 4096
SLOT_LENGTH = 48
RECORD_LENGTH = 256
TICK_ENTRY_LENGTH = 40
RECORD_SERVED = 1
SLOT_EMPTY = 0
PROTOCOLS = {2: "uniswap_v2", 3: "uniswap_v3", 4: "uniswap_v4"}
MODES = {0: "buffering", 1: "scraping", 2: "replaying", 3: "live"}

# header offsets
H_MAGIC, H_VERSION, H_STATUS, H_GENERATION, H_CHAIN_ID, H_SEQUENCE = 0, 8, 12, 16, 24, 32
H_BLOCK_NUMBER, H_BLOCK_HASH, H_MODE, H_POOL_COUNT = 40, 48, 80, 84
H_INDEX_SLOTS, H_RECORD_CAPACITY, H_INDEX_OFFSET, H_RECORDS_OFFSET = 88, 92, 96, 104
H_TICKS_OFFSET, H_TICKS_LENGTH, H_RECORD_LENGTH, H_TICK_ENTRY_LENGTH, H_UPDATED_AT = 112, 120, 128, 132, 136
# record offsets
R_SEQUENCE, R_SQRT_PRICE, R_LIQUIDITY, R_TICK, R_SWAP_FEE, R_WRITTEN_AT = 0, 8, 32, 48, 52, 56
R_RESERVE0, R_RESERVE1, R_STATUS, R_PROTOCOL, R_ID_LENGTH, R_PROTOCOL_FEE = 64, 80, 96, 100, 104, 108
R_ID, R_TOKEN0, R_KEY_FEE, R_TOKEN1, R_TICK_SPACING, R_HOOKS = 112, 144, 164, 168, 188, 192
R_TICK_COUNT, R_TICK_OFFSET, R_TICK_CAPACITY, R_DECIMALS0, R_DECIMALS1, R_SCRAPED_AT = 212, 216, 224, 228, 229, 232

STUCK_SECONDS = 1.0


class Torn(Exception):
    """A copy the writer changed underneath: read again."""


def _u(b, at, width):
    return int.from_bytes(b[at:at + width], "little")


def _i32(b, at):
    return struct.unpack_from("<i", b, at)[0]


def _i64(b, at):
    return struct.unpack_from("<q", b, at)[0]


def _hex(b):
    return "0x" + bytes(b).hex()


class ArenaFile:
    def __init__(self, path):
        self.path = path
        self._map()

    def _map(self):
        with open(self.path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size < HEADER_LENGTH:
                raise ValueError(f"not an arena file: path={self.path} size={size}")
            mm = mmap.mmap(fh.fileno(), size, access=mmap.ACCESS_READ)
        if _i64(mm, H_MAGIC) != MAGIC:
            raise ValueError(f"not an arena file: path={self.path} magic={_i64(mm, H_MAGIC):#x}")
        if _i32(mm, H_VERSION) != VERSION:
            raise ValueError(f"arena file layout version not supported: path={self.path} version={_i32(mm, H_VERSION)}")
        if _i32(mm, H_RECORD_LENGTH) != RECORD_LENGTH or _i32(mm, H_TICK_ENTRY_LENGTH) != TICK_ENTRY_LENGTH:
            raise ValueError(f"arena file record sizes differ from layout 1: path={self.path}")
        self.mm = mm
        self.size = size
        self.generation = _i64(mm, H_GENERATION)
        self.index_slots = _i32(mm, H_INDEX_SLOTS)
        self.record_capacity = _i32(mm, H_RECORD_CAPACITY)
        self.index_offset = _i64(mm, H_INDEX_OFFSET)
        self.records_offset = _i64(mm, H_RECORDS_OFFSET)
        self.ticks_offset = _i64(mm, H_TICKS_OFFSET)
        self.ticks_end = self.ticks_offset + _i64(mm, H_TICKS_LENGTH)

    def _follow(self):
        """Maps the path again when the arena replaced the file (a larger generation, or a restart)."""
        if _i32(self.mm, H_STATUS) == STATUS_SUPERSEDED:
            old = self.mm
            self._map()
            old.close()

    def close(self):
        self.mm.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def header(self):
        self._follow()
        mm = self.mm
        return {"generation": self.generation, "status": _i32(mm, H_STATUS), "chain_id": _i64(mm, H_CHAIN_ID),
                "mode": MODES.get(_i32(mm, H_MODE), "unknown"), "block_number": _i64(mm, H_BLOCK_NUMBER),
                "updated_at_millis": _i64(mm, H_UPDATED_AT)}

    def _seq(self, at):
        return _i64(self.mm, at)

    def _wait(self, deadline, what):
        if deadline is None:
            return time.monotonic() + STUCK_SECONDS
        if time.monotonic() > deadline:
            raise RuntimeError(f"arena file {what} sequence stayed odd for over a second (writer stopped mid-block?): path={self.path}")
        return deadline

    def _copy_record(self, n):
        """The record's bytes and its ticks' bytes, one version (record seqlock); Torn when the writer moved on."""
        r = self.records_offset + n * RECORD_LENGTH
        deadline = None
        while True:
            s1 = self._seq(r + R_SEQUENCE)
            if s1 & 1:
                deadline = self._wait(deadline, "record")
                continue
            rec = self.mm[r:r + RECORD_LENGTH]
            count, offset = _i32(rec, R_TICK_COUNT), _i64(rec, R_TICK_OFFSET)
            in_bounds = count >= 0 and offset >= self.ticks_offset and offset + count * TICK_ENTRY_LENGTH <= self.ticks_end
            ticks = self.mm[offset:offset + count * TICK_ENTRY_LENGTH] if in_bounds else b""
            if s1 != self._seq(r + R_SEQUENCE):
                raise Torn()
            if not in_bounds:
                raise RuntimeError(f"arena file record {n} names ticks outside the tick region: offset={offset} count={count}")
            return rec, ticks

    def _lookup(self, raw):
        """The record number the index gives for the pool id (raw bytes), or None."""
        padded = raw + bytes(32 - len(raw))
        slot = int.from_bytes(padded[:8], "little") & (self.index_slots - 1)
        for _ in range(self.index_slots):
            s = self.index_offset + slot * SLOT_LENGTH
            length = _i32(self.mm, s)
            if length == SLOT_EMPTY:
                return None
            if length == len(raw) and self.mm[s + 8:s + 40] == padded:
                return _i32(self.mm, s + 4)
            slot = (slot + 1) & (self.index_slots - 1)
        return None

    def _at_block(self, copy):
        """copy() with the block the header names, under the header seqlock: (copy's result, number, hash), retried
        while the writer is inside a block or copy() raises Torn."""
        deadline = None
        while True:
            self._follow()
            hs = self._seq(H_SEQUENCE)
            if hs & 1 == 0:
                try:
                    value = copy()
                    number, block_hash = _i64(self.mm, H_BLOCK_NUMBER), _hex(self.mm[H_BLOCK_HASH:H_BLOCK_HASH + 32])
                    if hs == self._seq(H_SEQUENCE):
                        return value, number, block_hash
                except Torn:
                    pass
            deadline = self._wait(deadline, "header")

    def read_pool(self, pool_id):
        """One pool with its ticks at the block the header names (record and header seqlocks), or None."""
        raw = bytes.fromhex(pool_id[2:] if pool_id.lower().startswith("0x") else pool_id)

        def copy():
            n = self._lookup(raw)
            if n is None:
                return None
            rec, ticks = self._copy_record(n)
            if _i32(rec, R_STATUS) != RECORD_SERVED or rec[R_ID:R_ID + _i32(rec, R_ID_LENGTH)] != raw:
                raise Torn()
            return decode(rec, ticks)

        pool, number, block_hash = self._at_block(copy)
        if pool is not None:
            pool["block_number"], pool["block_hash"] = number, block_hash
        return pool

    def snapshot(self):
        """Every served pool at one block: {block_number, block_hash, pools: [...]}."""
        def copy():
            pools = []
            for n in range(self.record_capacity):
                r = self.records_offset + n * RECORD_LENGTH
                if _i32(self.mm, r + R_STATUS) != RECORD_SERVED:
                    continue
                rec, ticks = self._copy_record(n)
                if _i32(rec, R_STATUS) == RECORD_SERVED:
                    pools.append(decode(rec, ticks))
            return pools

        pools, number, block_hash = self._at_block(copy)
        return {"block_number": number, "block_hash": block_hash, "pools": pools}


def decode(rec, ticks):
    """A record's fields with the HTTP API's names (/v1/pools/{id}); big integers as decimal strings."""
    protocol = _i32(rec, R_PROTOCOL)
    p = {"id": _hex(rec[R_ID:R_ID + _i32(rec, R_ID_LENGTH)]), "protocol": PROTOCOLS.get(protocol, str(protocol)),
         "token0": _hex(rec[R_TOKEN0:R_TOKEN0 + 20]), "token1": _hex(rec[R_TOKEN1:R_TOKEN1 + 20]),
         "scraped_at": _i64(rec, R_SCRAPED_AT), "written_at": _i64(rec, R_WRITTEN_AT),
         "decimals0": struct.unpack_from("<b", rec, R_DECIMALS0)[0], "decimals1": struct.unpack_from("<b", rec, R_DECIMALS1)[0]}
    if protocol == 2:
        p["reserve0"] = str(_u(rec, R_RESERVE0, 16))
        p["reserve1"] = str(_u(rec, R_RESERVE1, 16))
        return p
    p["sqrt_price_x96"] = str(_u(rec, R_SQRT_PRICE, 24))
    p["tick"] = _i32(rec, R_TICK)
    p["liquidity"] = str(_u(rec, R_LIQUIDITY, 16))
    p["fee"] = _i32(rec, R_KEY_FEE)
    p["tick_spacing"] = _i32(rec, R_TICK_SPACING)
    if protocol == 4:
        p["lp_fee"] = _i32(rec, R_SWAP_FEE)
        p["protocol_fee"] = _i32(rec, R_PROTOCOL_FEE)
        p["hooks"] = _hex(rec[R_HOOKS:R_HOOKS + 20])
    p["ticks"] = [{"tick": struct.unpack_from("<i", ticks, at)[0],
                   "liquidity_gross": str(int.from_bytes(ticks[at + 8:at + 24], "little")),
                   "liquidity_net": str(int.from_bytes(ticks[at + 24:at + 40], "little", signed=True))}
                  for at in range(0, len(ticks), TICK_ENTRY_LENGTH)]
    return p


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: arena_file.py FILE [POOL_ID]", file=sys.stderr)
        return 2
    with ArenaFile(argv[1]) as f:
        if len(argv) == 3:
            pool = f.read_pool(argv[2])
            if pool is None:
                print(f"pool not in the arena file: id={argv[2]}", file=sys.stderr)
                return 1
            out = pool
        else:
            out = dict(f.header(), **f.snapshot())
    json.dump(out, sys.stdout, separators=(",", ":"))
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
