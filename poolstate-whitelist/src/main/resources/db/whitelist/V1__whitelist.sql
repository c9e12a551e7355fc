-- Pools found from factory events, indexed incrementally.
CREATE TABLE discovered_pools (
    chain         TEXT        NOT NULL,
    pool_id       TEXT        NOT NULL,
    protocol      TEXT        NOT NULL,
    token0        TEXT        NOT NULL,
    token1        TEXT        NOT NULL,
    factory       TEXT        NOT NULL,
    fee           INTEGER,
    tick_spacing  INTEGER,
    hooks         TEXT,
    created_block BIGINT      NOT NULL,
    PRIMARY KEY (chain, pool_id)
);
CREATE INDEX discovered_pools_tokens ON discovered_pools (chain, token0, token1);

-- How far each factory's events have been indexed.
CREATE TABLE discovery_progress (
    chain      TEXT   NOT NULL,
    source     TEXT   NOT NULL,
    last_block BIGINT NOT NULL,
    PRIMARY KEY (chain, source)
);

-- One row per whitelist snapshot; 'pending' until published to NATS.
CREATE TABLE whitelist_snapshots (
    chain            TEXT        NOT NULL,
    snapshot_id      BIGINT      NOT NULL,
    prev_snapshot_id BIGINT,
    status           TEXT        NOT NULL CHECK (status IN ('pending', 'published')),
    update_type      TEXT        NOT NULL CHECK (update_type IN ('full', 'add', 'remove', 'add+remove', 'none')),
    pool_count       INTEGER     NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at     TIMESTAMPTZ,
    PRIMARY KEY (chain, snapshot_id)
);
CREATE INDEX whitelist_snapshots_time ON whitelist_snapshots (chain, created_at);

-- The pools of each snapshot, with their published metadata and why they are in.
CREATE TABLE whitelist_snapshot_pools (
    chain       TEXT   NOT NULL,
    snapshot_id BIGINT NOT NULL,
    pool_id     TEXT   NOT NULL,
    pool_data   JSONB  NOT NULL,
    reason      TEXT   NOT NULL,
    PRIMARY KEY (chain, snapshot_id, pool_id),
    FOREIGN KEY (chain, snapshot_id) REFERENCES whitelist_snapshots (chain, snapshot_id) ON DELETE CASCADE
);

-- What each snapshot changed, with the reason for every add and remove.
CREATE TABLE whitelist_changes (
    chain       TEXT   NOT NULL,
    snapshot_id BIGINT NOT NULL,
    pool_id     TEXT   NOT NULL,
    change      TEXT   NOT NULL CHECK (change IN ('add', 'remove')),
    reason      TEXT   NOT NULL,
    PRIMARY KEY (chain, snapshot_id, pool_id),
    FOREIGN KEY (chain, snapshot_id) REFERENCES whitelist_snapshots (chain, snapshot_id) ON DELETE CASCADE
);
