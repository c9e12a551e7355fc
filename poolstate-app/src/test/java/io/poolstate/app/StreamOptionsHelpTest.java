package io.poolstate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The JetStream stream options are declared once ({@code NatsStreamOptions}) and offered by both commands that create a stream. */
class StreamOptionsHelpTest {
    private static String help(String command) {
        // descriptions wrap at the terminal width: compare with single spaces
        return PoolstateCommand.commandLine().getSubcommands().get(command).getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
    }

    @Test
    void feedAndWhitelistHelpShowTheSharedStreamOptions() {
        for (String command : new String[] {"feed", "whitelist"}) {
            assertThat(help(command)).as(command).contains("--stream-max-bytes=BYTES").contains("--duplicate-window=DURATION")
                    .contains("--nats-replicas=N").contains("(default: 1073741824)").contains("(default: 2m)");
        }
        assertThat(help("feed")).contains("--stream-max-msgs=N").doesNotContain("--feed-stream-max");
        assertThat(help("whitelist")).contains("--stream-max-msgs-per-subject").contains("--stream-max-age=DURATION");
    }

    @Test
    void bothCommandsParseTheSharedOptions() {
        CommandLine.ParseResult feed = PoolstateCommand.commandLine().parseArgs("feed", "--stream-max-bytes", "2097152", "--duplicate-window", "90s")
                .subcommand();
        CommandLine.ParseResult whitelist = PoolstateCommand.commandLine().parseArgs("whitelist", "--stream-max-bytes", "-1", "--duplicate-window", "30s")
                .subcommand();
        assertThat(feed.matchedOptionValue("--stream-max-bytes", 0L)).isEqualTo(2_097_152L);
        assertThat(feed.matchedOptionValue("--duplicate-window", Duration.ZERO)).hasSeconds(90);
        assertThat(whitelist.matchedOptionValue("--stream-max-bytes", 0L)).isEqualTo(-1L);
        assertThat(whitelist.matchedOptionValue("--duplicate-window", Duration.ZERO)).hasSeconds(30);
    }
}
