package dev.herald.engine.testing.drill;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process the kill drills start and kill: a JVM on the drill's own {@code java} binary and class path,
 * its standard error in {@code name.err.log} and the standard output lines no {@link Builder#onLine
 * handler} took in {@code name.out.log}, both in the log directory.
 *
 * <p>{@link #kill()} is {@link Process#destroyForcibly()}, which is SIGKILL on Linux: no shutdown hook, no
 * {@code close()}, files left as the kill found them. {@link #stop(Duration)} closes the child's standard
 * input, which a child started {@link Builder#guarded() guarded} (or one that watches its input itself)
 * takes as the signal to stop cleanly, so a child also ends when the drill that started it dies.
 * Thread-safe.
 */
public final class ChildJvm {
    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /** A builder for a child running {@code mainClass}. */
    public static Builder builder(String name, String mainClass) {
        return new Builder(name, mainClass);
    }

    /**
     * The class path to give a child. Under {@code exec:java} the project's class path is only known to the
     * class loader, not to {@code java.class.path}, so the loader's URLs are used when there are any; under
     * Surefire, {@code java.class.path} holds the test class path.
     */
    public static String currentClasspath() {
        List<String> entries = new ArrayList<>();
        for (ClassLoader loader = Thread.currentThread().getContextClassLoader(); loader != null;
             loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (URISyntaxException e) {
                        throw new IllegalStateException("class path entry " + url, e);
                    }
                }
            }
        }
        return entries.isEmpty() ? System.getProperty("java.class.path") : String.join(File.pathSeparator, entries);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code; only once the process ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /** SIGKILL, then waits up to 30 s for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") still alive "
                    + KILL_WAIT.toSeconds() + " s after SIGKILL");
        }
    }

    /**
     * Closes the child's standard input and waits up to {@code timeout} for it to end; kills it after that.
     *
     * @return whether it ended by itself within the timeout
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            log.debug("{}: input already closed: {}", name, e.toString());
        }
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        log.warn("{} (pid {}) did not stop within {}; killing it", name, process.pid(), timeout);
        kill();
        return false;
    }

    /** What to start. Not thread-safe; {@link #start()} may be called several times. */
    public static final class Builder {
        private final String name;
        private final String mainClass;
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> args = new ArrayList<>();
        private String classpath;
        private Path logDir;
        private Predicate<String> onLine = line -> false;
        private boolean guarded;

        private Builder(String name, String mainClass) {
            this.name = Objects.requireNonNull(name, "name");
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
        }

        /** The child's class path; default {@link #currentClasspath()}. */
        public Builder classpath(String value) {
            this.classpath = Objects.requireNonNull(value, "classpath");
            return this;
        }

        public Builder jvmOptions(String... values) {
            jvmOptions.addAll(List.of(values));
            return this;
        }

        /** A {@code -Dkey=value} for the child. */
        public Builder systemProperty(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder args(String... values) {
            args.addAll(List.of(values));
            return this;
        }

        /** Where the logs go; required. */
        public Builder logDir(Path value) {
            this.logDir = Objects.requireNonNull(value, "logDir");
            return this;
        }

        /**
         * Sees each line of the child's standard output, on a reader thread of its own; a line it returns
         * true for is taken, the others go to the log file.
         */
        public Builder onLine(Predicate<String> value) {
            this.onLine = Objects.requireNonNull(value, "onLine");
            return this;
        }

        /** Runs the main class under {@link StdinGuard}, for children that do not watch their input. */
        public Builder guarded() {
            this.guarded = true;
            return this;
        }

        public ChildJvm start() throws IOException {
            if (logDir == null) {
                throw new IllegalStateException("logDir is required");
            }
            Files.createDirectories(logDir);
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(jvmOptions);
            properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-cp");
            command.add(classpath != null ? classpath : currentClasspath());
            if (guarded) {
                command.add(StdinGuard.class.getName());
            }
            command.add(mainClass);
            command.addAll(args);
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".err.log").toFile()))
                    .start();
            Path out = logDir.resolve(name + ".out.log");
            Predicate<String> handler = onLine;
            Thread reader = new Thread(() -> follow(process, out, handler), name + "-out");
            reader.setDaemon(true);
            reader.start();
            return new ChildJvm(name, process);
        }

        private static void follow(Process process, Path logFile, Predicate<String> handler) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
                 PrintWriter logOut = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                         StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!handler.test(line)) {
                        logOut.println(line);
                    }
                }
            } catch (IOException e) {
                // The pipe breaks when the child is killed; what was read so far stands.
                log.debug("child output ended: {}", e.toString());
            } catch (RuntimeException e) {
                throw new UncheckedIOException(new IOException("unreadable child output", e));
            }
        }
    }
}
