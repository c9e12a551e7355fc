package io.poolstate.app.config;

/**
 * A command that serves several chains in one process: the configuration file lists them as an array of tables
 * named {@code [[<command>.chains]]}, each entry holding that command's options for one chain ({@code chain},
 * {@code network}, {@code rpc-file}, ...); what an entry leaves out comes from the flags, the environment and the
 * rest of the file, as for a single chain.
 */
public interface PerChain {
    /** The table list's key under the command. */
    String KEY = "chains";
}
