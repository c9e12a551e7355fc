package io.poolstate.whitelist.token;

import java.util.List;

/**
 * One pluggable origin of whitelisted tokens. A source that cannot be read throws; the run skips it with a warning
 * and goes on. Entries a source cannot use are skipped with a reason ({@link #skipped()}).
 */
public interface TokenSource {
    String name();

    List<TokenCandidate> tokens() throws Exception;

    /** Reasons for entries skipped in the last {@link #tokens()} call (malformed data). */
    List<String> skipped();
}
