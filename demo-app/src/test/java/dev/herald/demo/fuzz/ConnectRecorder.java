package dev.herald.demo.fuzz;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The recording layer under the drill's transport: an event-loop group for {@code NettyTransport} whose
 * loops put a guard at the head of every channel they register, where it sees the address of each
 * {@code connect} as it goes to the socket, after every check of the engine. It records every address and
 * lets through only the one test receiver; anything else is refused before a packet leaves, and recorded
 * as refused, so a gap in the URL policy shows up as a failed assertion and never as traffic.
 * Thread-safe.
 */
final class ConnectRecorder implements AutoCloseable {
    private final InetSocketAddress allowed;
    private final ConcurrentLinkedQueue<InetSocketAddress> connects = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<InetSocketAddress> refused = new ConcurrentLinkedQueue<>();
    private final MultiThreadIoEventLoopGroup group;

    /** @param allowed the only address connections may go to: the test receiver on loopback */
    ConnectRecorder(InetSocketAddress allowed) {
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        if (!allowed.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the drill's receiver must be on loopback, was " + allowed);
        }
        this.group = new GuardedGroup(new Guard(this));
    }

    /** The group to give {@code NettyTransport.Builder.eventLoopGroup}. */
    EventLoopGroup group() {
        return group;
    }

    /** Every address a connection was attempted to, allowed or not, in order. */
    List<InetSocketAddress> connects() {
        return List.copyOf(connects);
    }

    /** The addresses refused: anything but the receiver. The drill expects none. */
    List<InetSocketAddress> refused() {
        return List.copyOf(refused);
    }

    /** The address connections may go to. */
    InetSocketAddress allowed() {
        return allowed;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private boolean admit(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress address) || address.isUnresolved()) {
            // NettyTransport connects to resolved addresses only; anything else is refused as unknown.
            refused.add(remote instanceof InetSocketAddress a ? a : InetSocketAddress.createUnresolved("?", 1));
            return false;
        }
        connects.add(address);
        if (address.equals(allowed)) {
            return true;
        }
        refused.add(address);
        return false;
    }

    /** Sees every connect on its way to the socket; the head of the pipeline is the last stop before it. */
    @ChannelHandler.Sharable
    private static final class Guard extends ChannelOutboundHandlerAdapter {
        private final ConnectRecorder recorder;

        Guard(ConnectRecorder recorder) {
            this.recorder = recorder;
        }

        @Override
        public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            if (recorder.admit(remote)) {
                ctx.connect(remote, local, promise);
            } else {
                promise.setFailure(new ConnectException("refused by the fuzz drill's connect guard"));
            }
        }
    }

    /** One NIO loop whose channels get the guard before they are registered. */
    private static final class GuardedGroup extends MultiThreadIoEventLoopGroup {
        GuardedGroup(Guard guard) {
            super(1, new DefaultThreadFactory("fuzz-drill-netty", true), NioIoHandler.newFactory(), guard);
        }

        @Override
        protected IoEventLoop newChild(Executor executor, IoHandlerFactory factory, Object... args) {
            // Called from the super constructor: the guard arrives through args, not a field.
            return new GuardedLoop(this, executor, factory, (Guard) args[0]);
        }
    }

    private static final class GuardedLoop extends SingleThreadIoEventLoop {
        private final Guard guard;

        GuardedLoop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory factory, Guard guard) {
            super(parent, executor, factory);
            this.guard = guard;
        }

        @Override
        public ChannelFuture register(ChannelPromise promise) {
            promise.channel().pipeline().addFirst("fuzz-drill-connect-guard", guard);
            return super.register(promise);
        }
    }
}
