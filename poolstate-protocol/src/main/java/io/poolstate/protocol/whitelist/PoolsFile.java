package io.poolstate.protocol.whitelist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a {@code --pools FILE}: a whitelist {@code full} message (full or minimal format) or a bare list of pools. */
public final class PoolsFile {
    private PoolsFile() {
    }

    /**
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static WhitelistMessage read(Path file) {
        try {
            WhitelistMessage m = WhitelistCodec.read(Files.readAllBytes(file), WhitelistCodec.DEFAULT_MAX_BYTES);
            if (m.type() != UpdateType.FULL) {
                throw new IllegalArgumentException("pools file " + file + " holds a '" + m.type().wireName() + "' update; a full list is needed");
            }
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read pools file " + file + ": " + e.getMessage(), e);
        } catch (WhitelistFormatException e) {
            throw new IllegalArgumentException("pools file " + file + " is not a whitelist: " + e.getMessage(), e);
        }
    }
}
