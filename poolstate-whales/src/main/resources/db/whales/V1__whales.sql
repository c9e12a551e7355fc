-- Whale tracker tables. Amounts are integers in the asset's base units (wei for ETH), numeric(78,0) holds any uint256.
-- Addresses are lower-case 0x-hex text.

-- Transfer-history index: how far it got, and the hash of that block (a changed hash means a reorg: start again).
CREATE TABLE whale_index_progress (
    asset       text PRIMARY KEY,
    last_block  bigint NOT NULL,
    last_hash   text   NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Every holder's balance as of whale_index_progress.last_block, from the Transfer history.
CREATE TABLE whale_holders (
    asset    text NOT NULL,
    address  text NOT NULL,
    balance  numeric(78,0) NOT NULL,
    PRIMARY KEY (asset, address)
);
CREATE INDEX whale_holders_rank ON whale_holders (asset, balance DESC, address);

-- One row per snapshot slot (interval-aligned UTC start): never two snapshots for one slot.
CREATE TABLE whale_snapshots (
    id             bigserial PRIMARY KEY,
    asset          text NOT NULL,
    slot_start     timestamptz NOT NULL,
    status         text NOT NULL CHECK (status IN ('complete', 'incomplete')),
    reason         text,
    block_number   bigint,
    block_hash     text,
    block_time     timestamptz,
    taken_at       timestamptz NOT NULL,
    address_count  integer NOT NULL DEFAULT 0,
    rpc_calls      integer NOT NULL DEFAULT 0,
    duration_ms    bigint NOT NULL DEFAULT 0,
    UNIQUE (asset, slot_start)
);
CREATE INDEX whale_snapshots_time ON whale_snapshots (asset, block_time);

-- Balances of the top-N list at the snapshot's block.
CREATE TABLE whale_balances (
    snapshot_id    bigint  NOT NULL REFERENCES whale_snapshots (id) ON DELETE CASCADE,
    address        text    NOT NULL,
    rank           integer NOT NULL,
    asset_balance  numeric(78,0) NOT NULL,
    eth_balance    numeric(78,0) NOT NULL,
    PRIMARY KEY (snapshot_id, address)
);
CREATE INDEX whale_balances_address ON whale_balances (address, snapshot_id);

-- Entries to and exits from the top N, with the block of the snapshot that saw them.
CREATE TABLE whale_list_changes (
    snapshot_id   bigint  NOT NULL REFERENCES whale_snapshots (id) ON DELETE CASCADE,
    asset         text    NOT NULL,
    address       text    NOT NULL,
    change        text    NOT NULL CHECK (change IN ('enter', 'exit')),
    rank          integer,
    block_number  bigint  NOT NULL,
    PRIMARY KEY (snapshot_id, address)
);
CREATE INDEX whale_list_changes_address ON whale_list_changes (asset, address, block_number);

-- Accumulation metrics per snapshot and window (see AccumulationAnalyzer for the definitions).
CREATE TABLE whale_metrics (
    snapshot_id           bigint NOT NULL REFERENCES whale_snapshots (id) ON DELETE CASCADE,
    window_name           text   NOT NULL,
    window_seconds        bigint NOT NULL,
    baseline_snapshot_id  bigint NOT NULL REFERENCES whale_snapshots (id) ON DELETE CASCADE,
    span_seconds          bigint NOT NULL,
    group_holdings        numeric(78,0) NOT NULL,
    baseline_holdings     numeric(78,0) NOT NULL,
    net_change            numeric(79,0) NOT NULL,
    common_net_change     numeric(79,0) NOT NULL,
    accumulating          integer NOT NULL,
    distributing          integer NOT NULL,
    unchanged             integer NOT NULL,
    entries               integer NOT NULL,
    exits                 integer NOT NULL,
    score                 numeric(6,2) NOT NULL,
    PRIMARY KEY (snapshot_id, window_name)
);
