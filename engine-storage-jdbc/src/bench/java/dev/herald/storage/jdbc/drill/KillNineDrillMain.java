package dev.herald.storage.jdbc.drill;

import dev.herald.engine.testing.drill.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The full kill -9 drill, never part of {@code mvn verify}: by default 100,000 events and 10 SIGKILLs at
 * random points. Run from the repository root:
 *
 * <pre>
 * mvn -B -q -pl engine-storage-jdbc -am -Pdrill process-test-classes \
 *     [-Ddrill.events=100000] [-Ddrill.kills=10] [-Ddrill.seed=...]
 * </pre>
 *
 * <p>Prints one summary line ({@code published, lost, duplicates, kills, duration}) and fails (an
 * exception, so the build fails) when anything was lost. The seed defaults to the current time and is logged, so a run can be repeated.
 */
public final class KillNineDrillMain {
    private KillNineDrillMain() {
    }

    /** Runs the drill with the {@code drill.*} system properties. */
    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("drill.events", 100_000);
        int kills = Integer.getInteger("drill.kills", 10);
        long seed = Long.getLong("drill.seed", System.currentTimeMillis());
        Path dir = Files.createTempDirectory("herald-kill-drill");
        KillNineDrill.Result result = new KillNineDrill(new KillNineDrill.Settings(events, kills, seed,
                Duration.ofMinutes(30), ChildJvm.currentClasspath(), dir)).run();
        System.out.println("kill -9 drill: seed=" + seed + " " + result.summary() + " (work dir " + dir + ")");
        result.kills().forEach(System.out::println);
        if (!result.lost().isEmpty()) {
            throw new IllegalStateException(result.lost().size() + " published events lost, first: "
                    + result.lost().subList(0, Math.min(20, result.lost().size())));
        }
    }
}
