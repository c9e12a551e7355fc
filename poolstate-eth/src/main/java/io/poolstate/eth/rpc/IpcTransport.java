package io.poolstate.eth.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * JSON-RPC over a Unix domain socket (geth/reth/anvil {@code .ipc}). The node writes JSON values back to
 * back; a streaming parser splits them. One virtual reader thread per connection.
 */
public final class IpcTransport extends DuplexTransport {
    private final Object sendLock = new Object();
    private volatile SocketChannel channel;

    IpcTransport(RpcEndpoint endpoint, ObjectMapper mapper) {
        super(endpoint, mapper);
    }

    @Override
    protected void connect(Duration timeout) throws Exception {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(endpoint.ipcPath()));
        channel = ch;
        Thread.ofVirtual().name("ipc-reader-" + endpoint.ipcPath().getFileName()).start(() -> read(ch));
    }

    private void read(SocketChannel ch) {
        try (InputStream in = Channels.newInputStream(ch);
             MappingIterator<JsonNode> values = mapper.readerFor(JsonNode.class).readValues(in)) {
            while (values.hasNextValue()) {
                onMessage(values.nextValue());
            }
            connectionLost(new IllegalStateException("ipc socket closed by node"));
        } catch (Exception e) {
            connectionLost(e);
        }
    }

    @Override
    protected void sendText(String text, Duration timeout) throws Exception {
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        synchronized (sendLock) {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }
    }

    @Override
    protected void disconnect() {
        SocketChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (java.io.IOException ignored) {
                // closing a socket that already failed: nothing left to report
            }
        }
    }
}
