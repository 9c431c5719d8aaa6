package dev.herald.engine.http;

import dev.herald.engine.internal.HttpText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes a webhook request as the bytes of one HTTP/1.1 message, head and body in one array, on the
 * sending thread: the event loop then only copies it to the socket. Checks every header on the way:
 * names must be HTTP tokens, values printable (tab allowed, no line break, no other control character,
 * nothing beyond Latin-1), and headers the transport owns are refused. A pure function.
 */
final class NettyRequestEncoder {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private NettyRequestEncoder() {
    }

    /**
     * The whole request, wrapped unpooled (never released, so it can be written again for a retry):
     * {@code POST}, the target, {@code Host}, the request's headers (but
     * {@code Content-Type}), {@code Content-Type: application/json}, a {@code User-Agent} unless the
     * request has one, {@code Content-Length}, then the body.
     *
     * @throws IllegalArgumentException for a restricted header or a name or value HTTP forbids; the
     *                                  message names neither, since either could be anything a tenant typed
     */
    static ByteBuf encode(String target, String authority, Map<String, String> headers, byte[] body, String userAgent) {
        boolean ownUserAgent = false;
        // Worst case: a target character percent-encodes to at most nine bytes.
        int size = 5 + target.length() * 9 + 17 + authority.length() + 2 + 32 + 16 + 10 + 4 + body.length;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            OwnedHeaders.refuse(header.getKey());
            ownUserAgent |= header.getKey().equalsIgnoreCase("user-agent");
            size += header.getKey().length() + header.getValue().length() + 4;
        }
        if (!ownUserAgent) {
            size += 12 + userAgent.length() + 2;
        }
        Out out = new Out(new byte[size]);
        out.ascii("POST ");
        out.target(target);
        out.ascii(" HTTP/1.1\r\nhost: ");
        out.value(authority);
        out.ascii("\r\n");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (name.equalsIgnoreCase("content-type")) {
                continue;
            }
            out.name(name);
            out.ascii(": ");
            out.value(header.getValue());
            out.ascii("\r\n");
        }
        out.ascii("content-type: application/json\r\n");
        if (!ownUserAgent) {
            out.ascii("user-agent: ");
            out.value(userAgent);
            out.ascii("\r\n");
        }
        out.ascii("content-length: ");
        out.ascii(Integer.toString(body.length));
        out.ascii("\r\n\r\n");
        out.bytes(body);
        return Unpooled.wrappedBuffer(out.bytes, 0, out.at);
    }

    /** A cursor over a byte array sized for the worst case. */
    private static final class Out {
        private final byte[] bytes;
        private int at;

        Out(byte[] bytes) {
            this.bytes = bytes;
        }

        void ascii(String s) {
            for (int i = 0, n = s.length(); i < n; i++) {
                bytes[at++] = (byte) s.charAt(i);
            }
        }

        /** A request target: ASCII as is, anything else percent-encoded as UTF-8; no space or control. */
        void target(String s) {
            for (int i = 0, n = s.length(); i < n; i++) {
                char c = s.charAt(i);
                if (c > 0x20 && c < 0x7f) {
                    bytes[at++] = (byte) c;
                } else if (c <= 0x20 || c == 0x7f) {
                    throw new IllegalArgumentException("request target holds a space or control character");
                } else {
                    int end = i + (Character.isHighSurrogate(c) && i + 1 < n ? 2 : 1);
                    for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                        bytes[at++] = '%';
                        bytes[at++] = HEX[(b >> 4) & 0xf];
                        bytes[at++] = HEX[b & 0xf];
                    }
                    i = end - 1;
                }
            }
        }

        void name(String s) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("empty header name");
            }
            for (int i = 0, n = s.length(); i < n; i++) {
                char c = s.charAt(i);
                if (!HttpText.isTokenChar(c)) {
                    throw new IllegalArgumentException("header name is not an HTTP token");
                }
                bytes[at++] = (byte) c;
            }
        }

        void value(String s) {
            for (int i = 0, n = s.length(); i < n; i++) {
                char c = s.charAt(i);
                if (!HttpText.isFieldValueChar(c)) {
                    throw new IllegalArgumentException("header value holds a control or non-Latin-1 character");
                }
                bytes[at++] = (byte) c;
            }
        }

        void bytes(byte[] b) {
            System.arraycopy(b, 0, bytes, at, b.length);
            at += b.length;
        }
    }
}
