package io.poolstate.app.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/** {@code %maskedEx}: an exception's trace (messages and causes) with the {@link SecretMask registered secrets} replaced. */
public final class MaskedThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return SecretMask.apply(super.throwableProxyToString(tp));
    }
}
