package io.poolstate.app.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The environment variable that supplies an option's value when the flag is not given; it wins over the
 * configuration file. {@code {COMMAND}} stands for the top-level command's name in upper case, so one shared
 * option reads {@code POOLSTATE_FEED_METRICS} under {@code feed} and {@code POOLSTATE_WHALES_METRICS} under
 * {@code whales run}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface EnvVar {
    String value();
}
