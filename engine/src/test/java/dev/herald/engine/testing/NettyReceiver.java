package dev.herald.engine.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lean webhook receiver on 127.0.0.1: answers 200 at once and, for bodies carrying {@code "t":<nanoTime>},
 * records the latency from that moment (same JVM, same clock). One event-loop thread, so it leaves the
 * other core to the sender.
 */
public final class NettyReceiver implements AutoCloseable {
    private static final byte[] MARK = "\"t\":".getBytes(StandardCharsets.US_ASCII);

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel channel;
    private final AtomicLong received = new AtomicLong();
    private volatile long[] latencies = new long[0];
    private final AtomicInteger latencyCount = new AtomicInteger();

    public NettyReceiver() throws InterruptedException {
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                        onRequest(req.content());
                                        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
                                        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                                        HttpUtil.setKeepAlive(res, HttpUtil.isKeepAlive(req));
                                        ctx.writeAndFlush(res);
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    public String url() {
        return "http://127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort() + "/hook";
    }

    /** Starts counting afresh, keeping room for {@code expected} latencies. */
    public void reset(int expected) {
        latencies = new long[expected];
        latencyCount.set(0);
        received.set(0);
    }

    public long received() {
        return received.get();
    }

    /** Latencies recorded since {@link #reset}, in nanoseconds, sorted. */
    public long[] sortedLatencies() {
        long[] copy = Arrays.copyOf(latencies, Math.min(latencyCount.get(), latencies.length));
        Arrays.sort(copy);
        return copy;
    }

    private void onRequest(ByteBuf body) {
        long now = System.nanoTime();
        int at = indexOf(body, MARK);
        if (at >= 0) {
            long sentAt = 0;
            for (int i = at + MARK.length; i < body.writerIndex(); i++) {
                byte b = body.getByte(i);
                if (b < '0' || b > '9') {
                    break;
                }
                sentAt = sentAt * 10 + (b - '0');
            }
            int slot = latencyCount.getAndIncrement();
            long[] target = latencies;
            if (slot < target.length) {
                target[slot] = now - sentAt;
            }
        }
        received.incrementAndGet();
    }

    private static int indexOf(ByteBuf buf, byte[] needle) {
        outer:
        for (int i = buf.readerIndex(); i <= buf.writerIndex() - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
