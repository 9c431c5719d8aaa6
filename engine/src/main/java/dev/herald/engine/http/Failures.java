package dev.herald.engine.http;

import dev.herald.engine.ErrorCode;
import dev.herald.engine.HeraldException;
import dev.herald.engine.model.ErrorKind;
import dev.herald.engine.spi.TransportResult;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Turns what went wrong during a request into a {@link TransportResult.Failed}. A pure function, so it
 * is tested with a table. Messages are fixed texts: exception messages from the HTTP stack can repeat
 * the URL, whose query may hold a token, so only the TLS reason and the URL policy's own message
 * (written to be safe) are passed on.
 */
final class Failures {
    private static final int MAX_DETAIL = 160;
    private static final int MAX_CAUSE_DEPTH = 16;

    private Failures() {
    }

    static TransportResult.Failed of(Throwable error, Duration elapsed) {
        Throwable root = unwrap(error);
        ErrorKind kind = kindOf(root);
        return new TransportResult.Failed(kind, messageOf(kind, root), elapsed);
    }

    static TransportResult.Failed timeout(Duration elapsed) {
        return new TransportResult.Failed(ErrorKind.TIMEOUT, messageOf(ErrorKind.TIMEOUT, null), elapsed);
    }

    static TransportResult.Failed closed(Duration elapsed) {
        return new TransportResult.Failed(ErrorKind.OTHER, "transport closed before an answer", elapsed);
    }

    static ErrorKind kindOf(Throwable error) {
        Throwable root = unwrap(error);
        HeraldException refused = find(root, HeraldException.class);
        if (refused != null) {
            // At attempt time any policy refusal, even a scheme no longer allowed, means "not sent there".
            return refused.code() == ErrorCode.BLOCKED_URL || refused.code() == ErrorCode.INVALID_URL
                    ? ErrorKind.BLOCKED_ADDRESS : ErrorKind.OTHER;
        }
        // Timeouts first: a connect timeout carries a ConnectException as its cause.
        if (find(root, HttpTimeoutException.class) != null || find(root, TimeoutException.class) != null) {
            return ErrorKind.TIMEOUT;
        }
        if (find(root, UnknownHostException.class) != null) {
            return ErrorKind.DNS_FAILURE;
        }
        if (find(root, SSLException.class) != null) {
            return ErrorKind.TLS;
        }
        if (find(root, ConnectException.class) != null || find(root, NoRouteToHostException.class) != null) {
            return ErrorKind.CONNECTION_REFUSED;
        }
        if (isReset(root)) {
            return ErrorKind.CONNECTION_RESET;
        }
        return ErrorKind.OTHER;
    }

    private static String messageOf(ErrorKind kind, Throwable root) {
        return switch (kind) {
            case TIMEOUT -> "no answer within the request timeout";
            case DNS_FAILURE -> "host name did not resolve";
            case CONNECTION_REFUSED -> "connection refused";
            case CONNECTION_RESET -> "connection reset or closed before an answer";
            case TLS -> "TLS handshake failed" + detail(find(root, SSLException.class));
            case BLOCKED_ADDRESS -> find(root, HeraldException.class).getMessage();
            default -> root instanceof IllegalArgumentException
                    ? "request refused by the HTTP client (invalid or restricted header)"
                    : "request failed: " + (root == null ? "unknown error" : root.getClass().getSimpleName());
        };
    }

    private static String detail(SSLException e) {
        String message = e == null ? null : e.getMessage();
        if (message == null || message.isBlank()) {
            return "";
        }
        message = message.replaceAll("[\\r\\n]+", " ");
        return ": " + (message.length() > MAX_DETAIL ? message.substring(0, MAX_DETAIL) + "..." : message);
    }

    private static boolean isReset(Throwable root) {
        int depth = 0;
        for (Throwable t = root; t != null && depth++ < MAX_CAUSE_DEPTH; t = t.getCause()) {
            if (t instanceof EOFException || t instanceof ClosedChannelException) {
                return true;
            }
            if (t instanceof IOException && t.getMessage() != null) {
                String message = t.getMessage().toLowerCase(Locale.ROOT);
                // The JDK says "Connection reset", "Broken pipe", "connection closed locally",
                // "EOF reached while reading", or "header parser received no bytes" when the peer hung up.
                if (message.contains("reset") || message.contains("closed") || message.contains("eof")
                        || message.contains("broken pipe") || message.contains("no bytes")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static <T extends Throwable> T find(Throwable root, Class<T> type) {
        int depth = 0;
        for (Throwable t = root; t != null && depth++ < MAX_CAUSE_DEPTH; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
