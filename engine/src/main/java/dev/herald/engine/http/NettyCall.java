package dev.herald.engine.http;

import dev.herald.engine.spi.TransportRequest;
import dev.herald.engine.spi.TransportResult;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One request of a {@link NettyTransport} on its way: its result, its deadline and the connection it is
 * using, so that a timeout or {@code close()} can abort it. The first outcome wins; later ones are
 * dropped. Written on its pool's event loop, except {@link #abort} which any thread may call.
 */
final class NettyCall {
    private static final AtomicIntegerFieldUpdater<NettyCall> DONE =
            AtomicIntegerFieldUpdater.newUpdater(NettyCall.class, "done");

    private final NettyTransport transport;
    private final TransportRequest request;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<TransportResult> result = new CompletableFuture<>();
    private volatile int done;
    private volatile Future<?> deadline;
    private volatile Channel channel;
    private ByteBuf wire;
    private boolean retried;

    NettyCall(NettyTransport transport, TransportRequest request) {
        this.transport = transport;
        this.request = request;
    }

    TransportRequest request() {
        return request;
    }

    /** The request's bytes, head and body; write a duplicate, so it stays readable for a retry. */
    ByteBuf wire() {
        return wire;
    }

    void wire(ByteBuf encoded) {
        this.wire = encoded;
    }

    /** A read-only view: callers cannot complete or cancel the call. */
    CompletionStage<TransportResult> stage() {
        return result.minimalCompletionStage();
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    boolean isDone() {
        return done != 0;
    }

    /** Whether the one retry on a fresh connection is still available; takes it if so. */
    boolean takeRetry() {
        if (retried) {
            return false;
        }
        retried = true;
        return true;
    }

    /** Starts the deadline on the pool's loop, once; it counts from {@code send}, so waiting counts too. */
    void startDeadline(EventLoop loop) {
        if (deadline == null) {
            long remaining;
            try {
                remaining = request.timeout().toNanos() - (System.nanoTime() - startNanos);
            } catch (ArithmeticException e) {
                remaining = Long.MAX_VALUE;
            }
            deadline = loop.schedule(this::expire, Math.max(0, remaining), TimeUnit.NANOSECONDS);
        }
    }

    /** The connection now carrying this call. */
    void attach(Channel used) {
        channel = used;
        // abort() sets done before reading channel, and we wrote channel before reading done, so one of
        // the two always sees the other and the connection is never left serving a dead call.
        if (isDone()) {
            used.close();
        }
    }

    void detach() {
        channel = null;
    }

    /** Completes with this outcome unless the call already ended; true if this was the outcome. */
    boolean finish(TransportResult outcome) {
        if (!DONE.compareAndSet(this, 0, 1)) {
            return false;
        }
        transport.forget(this);
        Future<?> pending = deadline;
        if (pending != null) {
            pending.cancel(false);
        }
        result.complete(outcome);
        return true;
    }

    /** Completes with the failure {@code error} stands for, unless the call already ended. */
    boolean fail(Throwable error) {
        if (isDone()) {
            return false;
        }
        return finish(transport.failure(error, elapsed()));
    }

    /** Ends the call from outside its exchange (deadline, close), closing the connection it was using. */
    boolean abort(TransportResult outcome) {
        if (!finish(outcome)) {
            return false;
        }
        Channel used = channel;
        if (used != null) {
            used.close();
        }
        return true;
    }

    private void expire() {
        abort(Failures.timeout(elapsed()));
    }
}
