package io.poolstate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolstate.dex.quote.ConcentratedSwap;
import io.poolstate.dex.quote.SwapQuote;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickTable;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Our V3 quotes against the official TypeScript SDK (@uniswap/v3-sdk, installed by npm into benchmarks/sdk) in one
 * run, on the same pool and the same requests: writes a fixture (the ladder pool of {@link QuoteCases}, six swaps
 * crossing 0, 10 and 100 initialised ticks, exact input and exact output, with our amounts), runs
 * {@link QuoteBenchmark} on it (V3, 1 fork, its warm-up and measurement), then {@code node v3-sdk-quote.mjs} with a
 * warm-up and measurement of the same lengths, checks the SDK's amounts equal ours, and prints both with the ratio.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar io.poolstate.bench.SdkComparisonHarness [benchmarks/sdk]}
 * (after {@code npm ci --prefix benchmarks/sdk}).
 */
public final class SdkComparisonHarness {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] TICKS = {0, 10, 100};

    private SdkComparisonHarness() {
    }

    public static void main(String[] args) throws Exception {
        Path sdk = Path.of(args.length > 0 ? args[0] : "benchmarks/sdk");
        if (!Files.isDirectory(sdk.resolve("node_modules/@uniswap/v3-sdk"))) {
            System.err.println("the SDK is not installed: run npm ci --prefix " + sdk);
            System.exit(2);
        }
        PoolSnapshot.Concentrated pool = QuoteCases.pool("v3");
        Path fixture = Files.createTempFile("poolstate-sdk-fixture", ".json");
        Files.writeString(fixture, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(fixture(pool)));
        System.out.println("fixture: " + fixture);

        Map<String, Double> java = new LinkedHashMap<>();
        for (RunResult r : new Runner(new OptionsBuilder().include(QuoteBenchmark.class.getName() + ".simulate$").param("protocol", "v3").build()).run()) {
            String name = r.getParams().getParam("mode") + "/" + r.getParams().getParam("ticks");
            java.put(name, r.getPrimaryResult().getScore());
        }

        Map<String, JsonNode> node = new LinkedHashMap<>();
        Process p = new ProcessBuilder("node", sdk.resolve("v3-sdk-quote.mjs").toAbsolutePath().toString(), fixture.toString(), "6", "2", "5")
                .directory(sdk.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode n = JSON.readTree(line);
                node.put(n.get("name").asText(), n);
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("node exited with " + p.exitValue());
        }

        System.out.println();
        System.out.printf("%-16s %14s %14s %10s  %s%n", "case (V3)", "poolstate ns", "v3-sdk ns", "ratio", "amounts");
        boolean allEqual = true;
        for (Map.Entry<String, Double> e : java.entrySet()) {
            JsonNode n = node.get(e.getKey());
            double sdkNs = n.get("nsPerOp").asDouble();
            boolean equal = n.get("equal").asBoolean();
            allEqual &= equal;
            System.out.printf("%-16s %14.1f %14.1f %9.0fx  %s%n", e.getKey(), e.getValue(), sdkNs, sdkNs / e.getValue(),
                    equal ? "equal" : "DIFFER: ours " + n.get("expected").asText() + " sdk " + n.get("amount").asText());
        }
        if (!allEqual) {
            System.exit(1);
        }
    }

    private static ObjectNode fixture(PoolSnapshot.Concentrated pool) {
        ObjectNode f = JSON.createObjectNode();
        ObjectNode p = f.putObject("pool");
        p.put("token0", pool.descriptor().token0().address().toString());
        p.put("token1", pool.descriptor().token1().address().toString());
        p.put("decimals0", pool.descriptor().token0().decimals());
        p.put("decimals1", pool.descriptor().token1().decimals());
        p.put("fee", pool.fee());
        p.put("tickSpacing", pool.tickSpacing());
        p.put("sqrtPriceX96", pool.sqrtPriceX96().toString());
        p.put("liquidity", pool.liquidity().toString());
        p.put("tick", pool.tick());
        ArrayNode ticks = p.putArray("ticks");
        TickTable t = pool.tickTable();
        for (int i = 0; i < t.size(); i++) {
            ticks.addObject().put("index", t.tick(i)).put("liquidityGross", t.info(i).liquidityGross().toString())
                    .put("liquidityNet", t.info(i).liquidityNet().toString());
        }
        ArrayNode cases = f.putArray("cases");
        for (String mode : new String[] {"exactInput", "exactOutput"}) {
            boolean exactInput = mode.equals("exactInput");
            for (int ticksCrossed : TICKS) {
                BigInteger amount = QuoteCases.amount(pool, exactInput, ticksCrossed);
                SwapQuote q = ConcentratedSwap.quote(pool, false, exactInput, amount, null);
                String name = mode + "/" + ticksCrossed;
                cases.addObject().put("name", name).put("zeroForOne", false).put("exactInput", exactInput).put("amount", amount.toString())
                        .put("expected", (exactInput ? q.amountOut() : q.amountIn()).toString());
            }
        }
        return f;
    }
}
