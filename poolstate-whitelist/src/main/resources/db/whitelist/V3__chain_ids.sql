-- The chain id each chain name stands for. Every whitelist table (and NATS subject) is keyed by the chain's name;
-- this binds the name to one chain id, so a name reused for another chain (two devnets both called 'devnet', a node
-- behind the wrong URL) is refused instead of mixing two chains' pools, discovery progress and snapshots.
CREATE TABLE whitelist_chains (
    chain         TEXT        PRIMARY KEY,
    chain_id      BIGINT      NOT NULL CHECK (chain_id > 0),
    registered_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Chains that already have rows keep them: their name is bound by the first run that sees the node.
