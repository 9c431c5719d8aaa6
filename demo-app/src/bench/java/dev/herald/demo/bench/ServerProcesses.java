package dev.herald.demo.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The CPU time of local server processes, found by the port on their command line: PostgreSQL's
 * postmaster is started with {@code -p <port>} and Redis names itself {@code redis-server 127.0.0.1:<port>}.
 * A server's child processes (PostgreSQL's backends and background writers) are counted with it.
 */
final class ServerProcesses {
    private ServerProcesses() {
    }

    /** User + system CPU time of the processes listening on {@code ports} and of their descendants. */
    static long cpuNanos(Collection<Integer> ports) {
        Set<String> tokens = ports.stream().map(String::valueOf).collect(Collectors.toSet());
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(p -> p.info().commandLine().map(line -> namesAPort(line, tokens)).orElse(false))
                .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
                .distinct()
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                .sum();
    }

    private static final Pattern SEPARATORS = Pattern.compile("[\\s:=]+");

    private static boolean namesAPort(String commandLine, Set<String> ports) {
        return SEPARATORS.splitAsStream(commandLine).anyMatch(ports::contains);
    }
}
