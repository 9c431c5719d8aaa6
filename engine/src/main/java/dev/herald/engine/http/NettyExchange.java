package dev.herald.engine.http;

import dev.herald.engine.model.Attempt;
import dev.herald.engine.spi.TransportResult;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The last handler of a {@link NettyTransport} connection: reads one answer at a time for the call the
 * pool gave the connection, keeping the body's first {@value Attempt#MAX_BODY_BYTES} bytes and counting
 * the rest away. No aggregation: each chunk is released as soon as it is read. Event-loop thread only.
 */
final class NettyExchange extends ChannelInboundHandlerAdapter {
    private final NettyPool pool;
    private final byte[] prefix = new byte[Attempt.MAX_BODY_BYTES];

    /** When the connection last went back to the idle stack, for the pool's sweep. */
    long idleSince;

    private NettyCall call;
    private boolean reused;
    private boolean answered;
    private boolean interim;
    private boolean keepAlive;
    private int status;
    private Map<String, List<String>> headers;
    private int length;
    private long received;

    NettyExchange(NettyPool pool) {
        this.pool = pool;
    }

    /** Starts an exchange; the request is written right after. */
    void begin(NettyCall next, boolean onReusedConnection) {
        call = next;
        reused = onReusedConnection;
        answered = false;
        interim = false;
        headers = null;
        length = 0;
        received = 0;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            NettyCall current = call;
            if (current == null || current.isDone()) {
                // Bytes nobody asked for, or for a call that was aborted: the connection cannot be trusted.
                call = null;
                ctx.close();
                return;
            }
            if (msg instanceof HttpObject object) {
                DecoderResult decoded = object.decoderResult();
                if (decoded.isFailure()) {
                    call = null;
                    ctx.close();
                    current.fail(decoded.cause());
                    return;
                }
            }
            if (msg instanceof HttpResponse response) {
                answered = true;
                int code = response.status().code();
                // 1xx answers (100 Continue, 103 Early Hints) come before the real one; skip them.
                interim = code >= 100 && code < 200 && code != 101;
                if (!interim) {
                    status = code;
                    headers = lowerCase(response.headers());
                    keepAlive = code != 101 && HttpUtil.isKeepAlive(response);
                }
            }
            if (msg instanceof HttpContent content) {
                if (interim) {
                    interim = !(msg instanceof LastHttpContent);
                    return;
                }
                ByteBuf bytes = content.content();
                int readable = bytes.readableBytes();
                int take = Math.min(readable, prefix.length - length);
                if (take > 0) {
                    bytes.getBytes(bytes.readerIndex(), prefix, length, take);
                    length += take;
                }
                received += readable;
                if (received > NettyTransport.DRAIN_LIMIT) {
                    complete(ctx, current, false);
                } else if (msg instanceof LastHttpContent) {
                    complete(ctx, current, keepAlive);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        NettyCall current = call;
        call = null;
        if (current != null && !current.isDone()) {
            if (reused && !answered && current.takeRetry()) {
                // Most likely the receiver closed this idle connection as we wrote to it.
                pool.retry(current);
            } else {
                current.fail(new ClosedChannelException());
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        NettyCall current = call;
        call = null;
        ctx.close();
        if (current != null && !current.isDone()) {
            if (reused && !answered && cause instanceof IOException && current.takeRetry()) {
                pool.retry(current);
            } else {
                current.fail(cause);
            }
        }
    }

    private void complete(ChannelHandlerContext ctx, NettyCall current, boolean reusable) {
        call = null;
        TransportResult.Responded responded = new TransportResult.Responded(status, headers,
                PrefixBodySubscriber.decode(prefix, length, received > length), current.elapsed());
        current.detach();
        // The connection goes back before the caller hears of the answer, so a send made from the
        // caller's continuation finds it idle.
        if (reusable) {
            pool.release(ctx.channel());
        } else {
            ctx.close();
        }
        current.finish(responded);
    }

    private static Map<String, List<String>> lowerCase(HttpHeaders headers) {
        Map<String, List<String>> map = new HashMap<>(Math.max(4, headers.size() * 2));
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            String name = header.getKey().toString().toLowerCase(Locale.ROOT);
            String value = header.getValue().toString();
            List<String> before = map.get(name);
            if (before == null) {
                map.put(name, List.of(value));
            } else {
                List<String> values = new ArrayList<>(before.size() + 1);
                values.addAll(before);
                values.add(value);
                map.put(name, List.copyOf(values));
            }
        }
        return map;
    }
}
