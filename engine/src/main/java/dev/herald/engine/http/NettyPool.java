package dev.herald.engine.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The keep-alive connections to one destination (scheme, host, port) on one event loop.
 *
 * <p>Everything but {@link #submit} and {@link #isRetired} runs on that loop, so the idle stack, the
 * waiting queue and the connection count need no locks. Idle connections are reused last-in first-out,
 * which keeps the warmest ones busy and lets the rest reach the idle timeout. A connection being opened
 * belongs to the request that asked for it: if that request gives up first, the connection joins the
 * pool once ready. Requests that time out while waiting are skipped when their turn comes.
 */
final class NettyPool {
    private static final long MIN_SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /**
     * Where a pool connects: the URL's scheme, host and port, its authority for the {@code Host} header.
     *
     * @param key       {@code scheme://host:port}, host in lower case
     * @param https     whether to speak TLS
     * @param hostName  the host without IPv6 brackets or trailing dot, for TLS
     * @param literal   whether the host is an IP address
     * @param port      the port, default filled in
     * @param authority the URL's authority as written, for the {@code Host} header
     */
    record Target(String key, boolean https, String hostName, boolean literal, int port, String authority) {

        /** The target of a URL, or null when the URL has no host (the URL policy refuses it). */
        static Target of(URI url) {
            String host = url.getHost();
            String scheme = url.getScheme();
            if (host == null || scheme == null || url.getRawAuthority() == null) {
                return null;
            }
            boolean https = scheme.equalsIgnoreCase("https");
            int port = url.getPort() < 0 ? (https ? 443 : 80) : url.getPort();
            String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            name = name.toLowerCase(Locale.ROOT);
            if (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            boolean literal = name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
            return new Target((https ? "https://" : "http://") + name + ":" + port, https, name, literal, port,
                    url.getRawAuthority());
        }

        /** The request target: raw path (at least {@code /}) and query. */
        String pathAndQuery(URI url) {
            String path = url.getRawPath();
            String query = url.getRawQuery();
            path = path == null || path.isEmpty() ? "/" : path;
            return query == null ? path : path + "?" + query;
        }
    }

    private final NettyTransport transport;
    private final String key;
    private final Target target;
    private final int maxConnections;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<NettyCall> waiting = new ArrayDeque<>();
    private final ScheduledFuture<?> sweeper;
    private int open;
    private long lastUsed = System.nanoTime();
    /** Written on the loop; read elsewhere only as a hint, since {@link #acquire} routes again anyway. */
    private volatile boolean retired;

    NettyPool(NettyTransport transport, String key, Target target, EventLoop loop, int maxConnections) {
        this.transport = transport;
        this.key = key;
        this.target = target;
        this.maxConnections = maxConnections;
        this.loop = loop;
        this.bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                // Addresses come resolved and checked; Netty must never look a name up itself.
                .disableResolver()
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, transport.connectTimeoutMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (target.https()) {
                            channel.pipeline().addLast(transport.newSslHandler(channel.alloc(), target));
                        }
                        // Requests go out as ready-made bytes (NettyRequestEncoder): no encoder here.
                        channel.pipeline().addLast(new HttpResponseDecoder(), new NettyExchange(NettyPool.this));
                    }
                });
        long period = Math.max(MIN_SWEEP_NANOS, transport.idleTimeoutNanos() / 2);
        this.sweeper = loop.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    /** This pool's name among the transport's pools: the target's key and the loop's index. */
    String key() {
        return key;
    }

    Target target() {
        return target;
    }

    EventLoop loop() {
        return loop;
    }

    boolean isRetired() {
        return retired;
    }

    /** Hands a call to this pool's loop. Any thread. */
    void submit(NettyCall call) {
        loop.execute(() -> acquire(call));
    }

    /** Gives the call a connection: an idle one, a new one, or its turn in the queue. */
    void acquire(NettyCall call) {
        if (call.isDone()) {
            return;
        }
        if (retired) {
            transport.resubmit(call);
            return;
        }
        if (transport.isClosed()) {
            call.finish(Failures.closed(call.elapsed()));
            return;
        }
        call.startDeadline(loop);
        lastUsed = System.nanoTime();
        Channel channel;
        while ((channel = idle.pollLast()) != null) {
            if (channel.isActive()) {
                dispatch(channel, call, true);
                return;
            }
        }
        if (open < maxConnections) {
            open++;
            connect(call);
        } else {
            waiting.addLast(call);
        }
    }

    /** A reused connection closed under the call before any answer: one more go on another connection. */
    void retry(NettyCall call) {
        call.detach();
        acquire(call);
    }

    /** A connection whose exchange ended cleanly: next waiting call, or back to the idle stack. */
    void release(Channel channel) {
        if (retired || transport.isClosed() || !channel.isActive()) {
            channel.close();
            return;
        }
        NettyCall next;
        while ((next = waiting.pollFirst()) != null) {
            if (!next.isDone()) {
                dispatch(channel, next, true);
                return;
            }
        }
        exchangeOf(channel).idleSince = System.nanoTime();
        idle.addLast(channel);
    }

    /** Closes what is left once the transport closes; its calls were failed already. */
    void shutdown() {
        retire();
        waiting.clear();
        List<Channel> toClose = new ArrayList<>(idle);
        idle.clear();
        toClose.forEach(Channel::close);
    }

    // ---- connecting ------------------------------------------------------------------------------

    private void connect(NettyCall call) {
        URI url = call.request().url();
        if (target.literal()) {
            // An IP literal: the policy checks it without a lookup, so no need to leave the loop.
            List<InetAddress> addresses;
            try {
                addresses = transport.policy().resolveAllowed(url);
            } catch (Exception e) {
                connectFailed(call, e);
                return;
            }
            connectTo(call, addresses, 0);
            return;
        }
        try {
            transport.dns().execute(() -> {
                if (call.isDone()) {
                    loop.execute(this::abandonConnect);
                    return;
                }
                try {
                    List<InetAddress> addresses = transport.policy().resolveAllowed(url);
                    loop.execute(() -> connectTo(call, addresses, 0));
                } catch (Exception e) {
                    loop.execute(() -> connectFailed(call, e));
                }
            });
        } catch (RejectedExecutionException e) {
            connectFailed(call, e);
        }
    }

    private void connectTo(NettyCall call, List<InetAddress> addresses, int index) {
        if (call.isDone() || transport.isClosed() || retired) {
            abandonConnect();
            return;
        }
        ChannelFuture connecting = bootstrap.connect(new InetSocketAddress(addresses.get(index), target.port()));
        connecting.addListener((ChannelFutureListener) future -> {
            if (!future.isSuccess()) {
                if (index + 1 < addresses.size() && !call.isDone()) {
                    connectTo(call, addresses, index + 1);
                } else {
                    connectFailed(call, future.cause());
                }
                return;
            }
            Channel channel = future.channel();
            // From here on the connection counts until it closes, whatever happens to the call.
            channel.closeFuture().addListener(closed -> onClosed(channel));
            SslHandler tls = channel.pipeline().get(SslHandler.class);
            if (tls == null) {
                ready(channel, call);
            } else {
                tls.handshakeFuture().addListener(handshake -> {
                    if (handshake.isSuccess()) {
                        ready(channel, call);
                    } else {
                        call.fail(handshake.cause());
                        channel.close();
                    }
                });
            }
        });
    }

    private void ready(Channel channel, NettyCall call) {
        if (call.isDone()) {
            release(channel);
        } else {
            dispatch(channel, call, false);
        }
    }

    private void connectFailed(NettyCall call, Throwable error) {
        open--;
        call.fail(error);
        serveWaiting();
    }

    private void abandonConnect() {
        open--;
        serveWaiting();
    }

    private void onClosed(Channel channel) {
        open--;
        idle.remove(channel);
        serveWaiting();
    }

    /** Room for another connection: open one for the oldest call still waiting. */
    private void serveWaiting() {
        while (open < maxConnections && !waiting.isEmpty() && !retired) {
            NettyCall next = waiting.pollFirst();
            if (!next.isDone()) {
                open++;
                connect(next);
            }
        }
    }

    // ---- exchanging ------------------------------------------------------------------------------

    private void dispatch(Channel channel, NettyCall call, boolean reused) {
        exchangeOf(channel).begin(call, reused);
        call.attach(channel);
        // A duplicate: writing releases what it writes, and the bytes must stay sendable for a retry.
        channel.writeAndFlush(call.wire().retainedDuplicate())
                .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    private static NettyExchange exchangeOf(Channel channel) {
        return (NettyExchange) channel.pipeline().last();
    }

    // ---- idle connections and the pool's own life ------------------------------------------------

    private void sweep() {
        long now = System.nanoTime();
        long limit = transport.idleTimeoutNanos();
        List<Channel> expired = null;
        for (Channel channel : idle) {
            if (now - exchangeOf(channel).idleSince >= limit) {
                expired = expired == null ? new ArrayList<>() : expired;
                expired.add(channel);
            }
        }
        if (expired != null) {
            // Closed after the loop: closing can call back into onClosed, which edits the idle stack.
            idle.removeAll(expired);
            expired.forEach(Channel::close);
        }
        if (open == 0 && waiting.isEmpty() && now - lastUsed >= limit) {
            retire();
        }
    }

    private void retire() {
        if (!retired) {
            transport.forget(this);
            retired = true;
            sweeper.cancel(false);
        }
    }
}
