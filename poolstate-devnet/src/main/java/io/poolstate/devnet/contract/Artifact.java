package io.poolstate.devnet.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.devnet.DevnetException;
import io.poolstate.eth.Hex;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A compiled contract from an npm package: its creation bytecode. Reads the three layouts the Uniswap
 * packages use: waffle ({@code bytecode} as bare hex, v2), hardhat ({@code bytecode} as 0x-hex, v3) and
 * forge ({@code bytecode.object}, v4 and its periphery).
 */
public record Artifact(String name, byte[] creationCode) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static Artifact load(String name, Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new DevnetException("cannot read contract artifact " + file + ": " + e.getMessage(), e);
        }
        JsonNode bc = root.get("bytecode");
        String hex = bc == null ? null : bc.isTextual() ? bc.asText() : bc.path("object").asText(null);
        if (hex == null || hex.isEmpty()) {
            throw new DevnetException("contract artifact has no bytecode: " + file);
        }
        if (hex.contains("__")) {
            throw new DevnetException("contract artifact needs library linking, which the devnet does not do: " + file);
        }
        return new Artifact(name, Hex.decode(hex));
    }

    /** The runtime code ({@code deployedBytecode}) of a forge artifact, for placing a contract with {@code anvil_setCode}. */
    public static byte[] loadRuntime(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new DevnetException("cannot read contract artifact " + file + ": " + e.getMessage(), e);
        }
        String hex = root.path("deployedBytecode").path("object").asText(null);
        if (hex == null || hex.isEmpty() || hex.contains("__")) {
            throw new DevnetException("contract artifact has no linked runtime bytecode: " + file);
        }
        if (root.path("deployedBytecode").path("immutableReferences").size() > 0) {
            throw new DevnetException("contract artifact has immutables, which only its constructor can fill: " + file);
        }
        return Hex.decode(hex);
    }
}
