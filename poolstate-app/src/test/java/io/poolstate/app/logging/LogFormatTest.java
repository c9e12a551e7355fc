package io.poolstate.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.poolstate.app.PoolstateCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The production log format: registered secrets masked in messages and traces; java.util.logging routed into it. */
class LogFormatTest {
    @AfterEach
    void forget() {
        SecretMask.clear();
    }

    /** Through the launcher's own logback.xml (not the test configuration): what an operator's log shows. */
    @Test
    void registeredSecretsAreMaskedInMessagesAndTraces() throws Exception {
        SecretMask.register("KEY123abc");
        SecretMask.register("ab"); // too short to mask safely
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream before = System.err;
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator config = new JoranConfigurator();
            config.setContext(ctx);
            config.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
            ctx.start();
            ctx.getLogger("io.poolstate.test").error("node https://node/v2/KEY123abc failed ab",
                    new IllegalStateException("caused at /v2/KEY123abc", new RuntimeException("deeper KEY123abc")));
        } finally {
            ctx.stop();
            System.setErr(before);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("ERROR test - node https://node/v2/*** failed ab").contains("caused at /v2/***").contains("deeper ***")
                .contains("at io.poolstate.app.logging.LogFormatTest").doesNotContain("KEY123abc");
    }

    @Test
    void javaUtilLoggingArrivesInTheSameLog() {
        PoolstateCommand.routeJavaUtilLogging();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        root.addAppender(seen);
        try {
            java.util.logging.Logger.getLogger("io.nats.client.impl.test").warning("nats said something");
        } finally {
            root.detachAppender(seen);
        }
        assertThat(seen.list).anySatisfy(ev -> {
            assertThat(ev.getLoggerName()).isEqualTo("io.nats.client.impl.test");
            assertThat(ev.getFormattedMessage()).isEqualTo("nats said something");
            assertThat(ev.getLevel()).isEqualTo(Level.WARN);
        });
    }
}
