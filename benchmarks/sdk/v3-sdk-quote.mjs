// Times the official Uniswap V3 SDK (@uniswap/v3-sdk) on the pools and requests of a fixture written by
// io.poolstate.bench.SdkComparisonHarness, and checks that its amounts equal the ones in the fixture (ours).
// Usage: node v3-sdk-quote.mjs FIXTURE.json [warmupSeconds] [measureSeconds] [iterations]
// Prints one JSON object per case: {"name", "nsPerOp", "nsPerOpIterations": [...], "amount", "expected", "equal"}.
import fs from 'node:fs';
import { createRequire } from 'node:module';

// the SDK's CommonJS build (its ESM build uses import paths Node does not resolve)
const require = createRequire(import.meta.url);
const { Token, CurrencyAmount } = require('@uniswap/sdk-core');
const { Pool, Tick, TickListDataProvider } = require('@uniswap/v3-sdk');

const [fixtureFile, warmupArg, measureArg, iterationsArg] = process.argv.slice(2);
if (!fixtureFile) {
  console.error('usage: node v3-sdk-quote.mjs FIXTURE.json [warmupSeconds] [measureSeconds] [iterations]');
  process.exit(2);
}
const warmupSeconds = Number(warmupArg ?? 6);
const measureSeconds = Number(measureArg ?? 2);
const iterations = Number(iterationsArg ?? 5);
const fixture = JSON.parse(fs.readFileSync(fixtureFile, 'utf8'));

const p = fixture.pool;
const token0 = new Token(1, p.token0, p.decimals0);
const token1 = new Token(1, p.token1, p.decimals1);
const ticks = p.ticks.map((t) => new Tick({ index: t.index, liquidityGross: t.liquidityGross, liquidityNet: t.liquidityNet }));
const pool = new Pool(token0, token1, p.fee, p.sqrtPriceX96, p.liquidity, p.tick, new TickListDataProvider(ticks, p.tickSpacing));

async function quote(c) {
  const tokenIn = c.zeroForOne ? token0 : token1;
  const tokenOut = c.zeroForOne ? token1 : token0;
  if (c.exactInput) {
    const [out] = await pool.getOutputAmount(CurrencyAmount.fromRawAmount(tokenIn, c.amount));
    return out.quotient.toString();
  }
  const [input] = await pool.getInputAmount(CurrencyAmount.fromRawAmount(tokenOut, c.amount));
  return input.quotient.toString();
}

/** Runs quote(c) for about `seconds`, returns ns per call. */
async function timed(c, seconds) {
  let calls = 0;
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let now = start;
  while (now < deadline) {
    for (let k = 0; k < 16; k++) {
      await quote(c);
    }
    calls += 16;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / calls;
}

for (const c of fixture.cases) {
  const got = await quote(c);
  await timed(c, warmupSeconds);
  const runs = [];
  for (let i = 0; i < iterations; i++) {
    runs.push(await timed(c, measureSeconds));
  }
  const mean = runs.reduce((a, b) => a + b, 0) / runs.length;
  console.log(JSON.stringify({ name: c.name, nsPerOp: mean, nsPerOpIterations: runs, amount: got, expected: c.expected, equal: got === c.expected }));
}
