package io.poolstate.eth.lens;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny EVM assembler for the storage lens's test: one instruction a line ({@code PUSH1 0x20}, {@code PUSH1 @label}),
 * {@code label:} lines mark the next instruction's offset, {@code ;} starts a comment. Only the opcodes the lens uses.
 */
final class EvmAssembler {
    private static final Map<String, Integer> OPS = Map.ofEntries(Map.entry("ADD", 0x01), Map.entry("SUB", 0x03), Map.entry("LT", 0x10),
            Map.entry("SGT", 0x13), Map.entry("ISZERO", 0x15), Map.entry("KECCAK256", 0x20), Map.entry("CALLDATALOAD", 0x35),
            Map.entry("CALLDATASIZE", 0x36), Map.entry("POP", 0x50), Map.entry("MSTORE", 0x52), Map.entry("SLOAD", 0x54), Map.entry("JUMP", 0x56),
            Map.entry("JUMPI", 0x57), Map.entry("JUMPDEST", 0x5b), Map.entry("PUSH1", 0x60), Map.entry("DUP1", 0x80), Map.entry("DUP2", 0x81),
            Map.entry("DUP3", 0x82), Map.entry("SWAP1", 0x90), Map.entry("RETURN", 0xf3));

    private EvmAssembler() {
    }

    static byte[] assemble(List<String> lines) {
        Map<String, Integer> labels = new HashMap<>();
        for (int pass = 0; pass < 2; pass++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String raw : lines) {
                String line = raw.replaceAll(";.*", "").trim();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.endsWith(":")) {
                    labels.put(line.substring(0, line.length() - 1), out.size());
                    continue;
                }
                String[] parts = line.split("\\s+");
                Integer op = OPS.get(parts[0]);
                if (op == null) {
                    throw new IllegalArgumentException("unknown opcode: " + line);
                }
                out.write(op);
                if (op == 0x60) {
                    String arg = parts[1];
                    int v = arg.startsWith("@") ? labels.getOrDefault(arg.substring(1), pass == 0 ? 0 : -1) : Integer.decode(arg);
                    if (v < 0 || v > 0xff) {
                        throw new IllegalArgumentException("PUSH1 argument out of range: " + line);
                    }
                    out.write(v);
                }
            }
            if (pass == 1) {
                return out.toByteArray();
            }
        }
        throw new AssertionError();
    }
}
