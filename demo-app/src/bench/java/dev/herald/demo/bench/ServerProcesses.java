package dev.herald.demo.bench;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The CPU time of local server processes, with that of their children (PostgreSQL's backends and
 * background writers). PostgreSQL's postmaster is found by the {@code -p <port>} on its command line;
 * Redis rewrites its command line, so it is found as a child of this JVM by the name of its binary.
 */
final class ServerProcesses {
    private static final Pattern SEPARATORS = Pattern.compile("[\\s:=]+");

    private ServerProcesses() {
    }

    /** User + system CPU time of the processes whose command line names {@code port}, and their descendants. */
    static long listeningOn(int port) {
        String token = String.valueOf(port);
        long self = ProcessHandle.current().pid();
        return cpuNanos(ProcessHandle.allProcesses().filter(p -> p.pid() != self), p -> p.info().commandLine()
                .map(line -> SEPARATORS.splitAsStream(line).anyMatch(token::equals)).orElse(false));
    }

    /** As {@link #listeningOn}, for this JVM's child processes whose binary's name contains {@code name}. */
    static long childrenNamed(String name) {
        return cpuNanos(ProcessHandle.current().descendants(),
                p -> p.info().command().map(command -> command.contains(name)).orElse(false));
    }

    private static long cpuNanos(Stream<ProcessHandle> candidates, Predicate<ProcessHandle> server) {
        return candidates.filter(server)
                .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
                .distinct()
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                .sum();
    }
}
