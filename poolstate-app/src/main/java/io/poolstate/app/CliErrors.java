package io.poolstate.app;

import io.poolstate.devnet.DevnetException;
import io.poolstate.eth.rpc.RpcException;
import picocli.CommandLine;

/**
 * Turns failures into one clear line on stderr and exit code 1. Expected failures (bad input, a devnet or
 * node problem) print their message only; anything else also prints its stack trace when
 * {@code POOLSTATE_DEBUG=1}.
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean expected = e instanceof DevnetException || e instanceof RpcException || e instanceof IllegalArgumentException;
        cmd.getErr().println("error: " + (expected ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage()));
        if (!expected || "1".equals(System.getenv("POOLSTATE_DEBUG"))) {
            if ("1".equals(System.getenv("POOLSTATE_DEBUG"))) {
                e.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("(set POOLSTATE_DEBUG=1 for the stack trace)");
            }
        }
        return 1;
    }
}
