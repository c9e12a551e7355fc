package io.poolstate.devnet.contract;

import io.poolstate.devnet.DevnetException;
import io.poolstate.devnet.npm.NpmPackages;
import io.poolstate.eth.Hex;
import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Multicall3's canonical creation code, as the npm package {@code viem} ships it
 * ({@code viem/_esm/constants/contracts.js}, constant {@code multicall3Bytecode}).
 */
public final class Multicall3Artifact {
    private static final Pattern CONSTANT = Pattern.compile("multicall3Bytecode\\s*=\\s*'(0x[0-9a-fA-F]+)'");

    private Multicall3Artifact() {
    }

    public static Artifact load(NpmPackages npm) {
        var file = npm.file("viem/_esm/constants/contracts.js");
        try {
            Matcher m = CONSTANT.matcher(Files.readString(file));
            if (!m.find()) {
                throw new DevnetException("multicall3Bytecode not found in " + file + " (viem version changed?)");
            }
            return new Artifact("Multicall3", Hex.decode(m.group(1)));
        } catch (IOException e) {
            throw new DevnetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
