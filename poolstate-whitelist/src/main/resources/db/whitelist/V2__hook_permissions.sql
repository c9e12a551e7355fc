-- V4 hook permissions of each discovered pool, decoded from the low 14 bits of its hooks address (v4-core Hooks.sol):
-- hook_flags is the bit field, hook_permissions the names, highest bit first. NULL for V2/V3; 0 and {} for V4 pools without hooks.
ALTER TABLE discovered_pools ADD COLUMN hook_flags INTEGER, ADD COLUMN hook_permissions TEXT[];

UPDATE discovered_pools
   SET hook_flags = ('x' || lpad(right(hooks, 4), 8, '0'))::bit(32)::integer & 16383
 WHERE hooks IS NOT NULL;

UPDATE discovered_pools d
   SET hook_permissions = ARRAY(
        SELECT p.name
          FROM (VALUES (13, 'beforeInitialize'), (12, 'afterInitialize'), (11, 'beforeAddLiquidity'), (10, 'afterAddLiquidity'),
                       (9, 'beforeRemoveLiquidity'), (8, 'afterRemoveLiquidity'), (7, 'beforeSwap'), (6, 'afterSwap'),
                       (5, 'beforeDonate'), (4, 'afterDonate'), (3, 'beforeSwapReturnDelta'), (2, 'afterSwapReturnDelta'),
                       (1, 'afterAddLiquidityReturnDelta'), (0, 'afterRemoveLiquidityReturnDelta')) AS p(bit, name)
         WHERE d.hook_flags & (1 << p.bit) <> 0
         ORDER BY p.bit DESC)
 WHERE hook_flags IS NOT NULL;

CREATE INDEX discovered_pools_hook_flags ON discovered_pools (chain, hook_flags) WHERE hook_flags <> 0;
