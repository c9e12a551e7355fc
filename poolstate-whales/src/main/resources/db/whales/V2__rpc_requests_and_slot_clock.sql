-- rpc_calls now counts every JSON-RPC call a snapshot sent (head, headers, Transfer logs, code checks, balances; each
-- call of a batch, retries included); rpc_requests the HTTP requests (or socket messages) they went out in.
ALTER TABLE whale_snapshots ADD COLUMN rpc_requests integer NOT NULL DEFAULT 0;
COMMENT ON COLUMN whale_snapshots.rpc_calls IS 'JSON-RPC calls sent for the snapshot (each call of a batch, retries included)';
COMMENT ON COLUMN whale_snapshots.rpc_requests IS 'HTTP requests (or socket messages) those calls went out in';
-- slots are the one clock: windows compare slot starts (UTC wall clock), so they are looked up by slot
CREATE INDEX whale_snapshots_slot ON whale_snapshots (asset, slot_start);
COMMENT ON COLUMN whale_snapshots.slot_start IS 'start of the UTC interval slot: the time the analysis windows compare';
