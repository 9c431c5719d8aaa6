package dev.herald.engine.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * A Netty HTTP/1.1 receiver on 127.0.0.1 that counts connections, for the tests that look at the wire:
 * connection reuse, idle timeout, TLS. Answers every request with {@code 200 accepted}, keeping the
 * connection open, unless {@code answersPerConnection} says to hang up without answer after that many.
 */
final class NettyTestServer implements AutoCloseable {

    /** One request as the server saw it: the Host header, the path, the TLS server name (or null). */
    record Seen(String host, String uri, String serverName) {
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private NettyTestServer(SSLContext tls, int answersPerConnection) throws InterruptedException {
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.incrementAndGet();
                        ch.closeFuture().addListener(f -> closed.incrementAndGet());
                        if (tls != null) {
                            SSLEngine engine = tls.createSSLEngine();
                            engine.setUseClientMode(false);
                            ch.pipeline().addLast(new SslHandler(engine));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new Handler(answersPerConnection));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    /** A plain-HTTP server that answers every request. */
    static NettyTestServer plain() throws InterruptedException {
        return new NettyTestServer(null, Integer.MAX_VALUE);
    }

    /** A plain-HTTP server that answers {@code answers} requests per connection, then hangs up on the next. */
    static NettyTestServer answeringPerConnection(int answers) throws InterruptedException {
        return new NettyTestServer(null, answers);
    }

    /** An HTTPS server presenting the key and certificate of {@code keys}. */
    static NettyTestServer tls(KeyManagerFactory keys) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return new NettyTestServer(context, Integer.MAX_VALUE);
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    int accepted() {
        return accepted.get();
    }

    int closed() {
        return closed.get();
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final int answersPerConnection;
        private int answered;

        Handler(int answersPerConnection) {
            this.answersPerConnection = answersPerConnection;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            seen.add(new Seen(request.headers().get(HttpHeaderNames.HOST), request.uri(), serverName(ctx)));
            if (answered++ >= answersPerConnection) {
                ctx.close();
                return;
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("accepted", StandardCharsets.UTF_8));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A refused handshake or a client that went away: expected in these tests.
            ctx.close();
        }

        private String serverName(ChannelHandlerContext ctx) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls == null || !(tls.engine().getSession() instanceof ExtendedSSLSession session)) {
                return null;
            }
            for (SNIServerName name : session.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
            return null;
        }
    }
}
