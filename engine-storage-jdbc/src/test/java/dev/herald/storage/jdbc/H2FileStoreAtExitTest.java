package dev.herald.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engine.testing.drill.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression test: an H2 file store used to be closed by H2's own shutdown hook as soon as the JVM began to
 * stop (SIGTERM, {@code System.exit}), racing the host's orderly stop. The demo server's engine, stopping
 * in its own hook, then found the database closed ("Database is already closed", SQLState 90121) while
 * it claimed, recorded outcomes and put in-flight webhooks back, so those waited for their lease to run
 * out and went out again after the restart. Found by the demo server's kill drill, at its clean stop. The
 * store is closed by its owner, and only then.
 */
class H2FileStoreAtExitTest {

    @Test
    void theStoreStaysOpenForTheOwnersShutdownHook(@TempDir Path dir) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        ChildJvm child = ChildJvm.builder("exit-node", H2FileExitNode.class.getName())
                .jvmOptions("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                .systemProperty("logback.configurationFile", "logback-jdbc-test.xml")
                .args(dir.resolve("data").toString())
                .logDir(dir)
                .onLine(lines::add)
                .start();

        assertThat(child.stop(Duration.ofSeconds(60))).as("the child ended by itself").isTrue();

        assertThat(lines).as("what the child printed").hasSize(1);
        assertThat(lines.get(0)).startsWith("STORED ");
        String[] stored = lines.get(0).split(" ");
        assertThat(Integer.parseInt(stored[1])).isPositive();
        try (JdbcDeliveryStore reopened = JdbcDeliveryStore.h2File(dir.resolve("data"))) {
            assertThat(reopened.findEvent(H2FileExitNode.TENANT, stored[2])).as("the hook's last event").isPresent();
        }
    }
}
