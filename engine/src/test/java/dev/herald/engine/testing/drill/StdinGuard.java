package dev.herald.engine.testing.drill;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Runs another main class and ends the JVM with {@code System.exit(0)} (so shutdown hooks run: a clean
 * stop) when standard input ends. A drill starts servers that do not watch their input through it, so
 * closing the input stops them cleanly and a drill that dies takes its children with it.
 *
 * <p>Arguments: the main class, then its arguments.
 */
public final class StdinGuard {
    private StdinGuard() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: StdinGuard <mainClass> [args...]");
        }
        Thread watcher = new Thread(() -> {
            drain(System.in);
            System.exit(0);
        }, "stdin-guard");
        watcher.setDaemon(true);
        watcher.start();
        try {
            Class.forName(args[0]).getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    private static void drain(InputStream in) {
        try (in) {
            while (in.read() >= 0) {
                // Nothing is sent; the end of the stream is the signal.
            }
        } catch (IOException e) {
            // A broken pipe ends the input as well.
        }
    }
}
