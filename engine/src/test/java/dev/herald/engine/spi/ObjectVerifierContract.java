package dev.herald.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The promises every {@link ObjectVerifier} keeps. An implementation's test extends this class and supplies
 * a verifier, a bucket that exists, a way to store an object as a client upload would, and a verifier whose
 * storage cannot answer.
 *
 * <p>What is checked: a stored object is {@link ObjectHead.Found} with its exact size, a bare ETag and its
 * content type; an absent key (also a bare prefix of stored keys) is {@link ObjectHead.Missing}; answers are
 * never cached (absent then stored, stored then overwritten); keys with spaces, non-ASCII characters and
 * slashes work; unreachable storage gives {@link ObjectHead.Unavailable} and never an exception; concurrent
 * calls are safe.
 */
public abstract class ObjectVerifierContract {

    /** How long an unreachable store may keep {@link ObjectVerifier#head} waiting before it must answer. */
    protected static final Duration UNAVAILABLE_WITHIN = Duration.ofSeconds(30);

    private ObjectVerifier verifier;
    private String prefix;

    /** A verifier for the store under test. Called once before each test; {@link #release} undoes it. */
    protected abstract ObjectVerifier createVerifier() throws Exception;

    /** A bucket that exists in the store under test and that tests may write to. */
    protected abstract String bucket();

    /**
     * Stores {@code body} at {@link #bucket()}/{@code key} with {@code contentType}, as a client upload
     * would, and returns once storage has it.
     */
    protected abstract void putObject(String key, byte[] body, String contentType) throws Exception;

    /**
     * A verifier whose storage cannot answer: a stopped server, a closed port. It should give up within
     * {@link #UNAVAILABLE_WITHIN}. Released with {@link #release} after use.
     */
    protected abstract ObjectVerifier createUnreachableVerifier() throws Exception;

    /** Releases a verifier made by this test; by default closes it when it is {@link AutoCloseable}. */
    protected void release(ObjectVerifier verifier) throws Exception {
        if (verifier instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @BeforeEach
    final void setUpVerifier(TestInfo test) throws Exception {
        verifier = createVerifier();
        // Keys of each test live under their own prefix, so tests never see each other's objects.
        prefix = "contract/" + test.getTestMethod().map(m -> m.getName()).orElse("test") + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "/";
    }

    @AfterEach
    final void releaseVerifier() throws Exception {
        release(verifier);
    }

    /** The verifier of the running test. */
    protected final ObjectVerifier verifier() {
        return verifier;
    }

    /** A key unique to the running test. */
    protected final String key(String name) {
        return prefix + name;
    }

    @Test
    void storedObjectIsFoundWithItsSizeEtagAndContentType() throws Exception {
        byte[] body = bytes(1234);
        Instant before = Instant.now();
        putObject(key("report.pdf"), body, "application/pdf");
        Instant after = Instant.now();

        ObjectHead head = verifier.head(bucket(), key("report.pdf"));

        assertThat(head).isInstanceOf(ObjectHead.Found.class);
        ObjectHead.Found found = (ObjectHead.Found) head;
        assertThat(found.size()).isEqualTo(1234);
        assertThat(found.etag()).isNotBlank().doesNotContain("\"");
        assertThat(found.contentType()).isEqualTo("application/pdf");
        if (found.lastModified() != null) {
            // Storage keeps its own clock and may round to the second; allow some skew either way.
            assertThat(found.lastModified()).isBetween(before.minus(Duration.ofMinutes(5)),
                    after.plus(Duration.ofMinutes(5)));
        }
    }

    @Test
    void emptyObjectIsFoundWithSizeZero() throws Exception {
        putObject(key("empty.txt"), new byte[0], "text/plain");

        assertThat(verifier.head(bucket(), key("empty.txt")))
                .isInstanceOfSatisfying(ObjectHead.Found.class, f -> assertThat(f.size()).isZero());
    }

    @Test
    void absentKeyIsMissing() {
        assertThat(verifier.head(bucket(), key("never-uploaded.bin"))).isInstanceOf(ObjectHead.Missing.class);
    }

    @Test
    void prefixOfStoredKeysIsMissing() throws Exception {
        putObject(key("dir/file.txt"), bytes(10), "text/plain");

        assertThat(verifier.head(bucket(), key("dir"))).isInstanceOf(ObjectHead.Missing.class);
        assertThat(verifier.head(bucket(), key("dir/file"))).isInstanceOf(ObjectHead.Missing.class);
    }

    @Test
    void absentThenStoredIsFound() throws Exception {
        assertThat(verifier.head(bucket(), key("late.bin"))).isInstanceOf(ObjectHead.Missing.class);

        putObject(key("late.bin"), bytes(7), "application/octet-stream");

        assertThat(verifier.head(bucket(), key("late.bin")))
                .isInstanceOfSatisfying(ObjectHead.Found.class, f -> assertThat(f.size()).isEqualTo(7));
    }

    @Test
    void overwrittenObjectShowsTheNewVersion() throws Exception {
        putObject(key("photo.png"), bytes(100), "image/png");
        ObjectHead.Found first = (ObjectHead.Found) verifier.head(bucket(), key("photo.png"));

        putObject(key("photo.png"), bytes(250), "image/jpeg");
        ObjectHead head = verifier.head(bucket(), key("photo.png"));

        assertThat(head).isInstanceOfSatisfying(ObjectHead.Found.class, f -> {
            assertThat(f.size()).isEqualTo(250);
            assertThat(f.contentType()).isEqualTo("image/jpeg");
            assertThat(f.etag()).isNotEqualTo(first.etag());
        });
    }

    @Test
    void keysWithSpacesNonAsciiAndSlashesAreFound() throws Exception {
        List<String> names = List.of("dir one/sub dir/file (1).txt", "ünïcødé/写真 🎉.jpg", "a+b=c&d;e,f@g.txt",
                "percent %20 literal.txt");
        for (String name : names) {
            putObject(key(name), name.getBytes(StandardCharsets.UTF_8), "text/plain");
        }
        for (String name : names) {
            assertThat(verifier.head(bucket(), key(name)))
                    .as(name)
                    .isInstanceOfSatisfying(ObjectHead.Found.class, f ->
                            assertThat(f.size()).isEqualTo(name.getBytes(StandardCharsets.UTF_8).length));
        }
        assertThat(verifier.head(bucket(), key("percent   literal.txt"))).isInstanceOf(ObjectHead.Missing.class);
    }

    @Test
    void unreachableStorageIsUnavailableNeverThrown() throws Exception {
        ObjectVerifier unreachable = createUnreachableVerifier();
        try {
            ObjectHead head = assertTimeoutPreemptively(UNAVAILABLE_WITHIN,
                    () -> unreachable.head(bucket(), key("anything.bin")));

            assertThat(head).isInstanceOfSatisfying(ObjectHead.Unavailable.class,
                    u -> assertThat(u.reason()).isNotBlank());
        } finally {
            release(unreachable);
        }
    }

    @Test
    void concurrentCallsAllAnswer() throws Exception {
        putObject(key("shared.bin"), bytes(4096), "application/octet-stream");
        ObjectHead.Found expected = (ObjectHead.Found) verifier.head(bucket(), key("shared.bin"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ObjectHead>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String k = i % 2 == 0 ? key("shared.bin") : key("absent-" + i);
                answers.add(pool.submit(() -> verifier.head(bucket(), k)));
            }
            for (int i = 0; i < answers.size(); i++) {
                ObjectHead head = answers.get(i).get(30, TimeUnit.SECONDS);
                if (i % 2 == 0) {
                    assertThat(head).isInstanceOfSatisfying(ObjectHead.Found.class, f -> {
                        assertThat(f.size()).isEqualTo(expected.size());
                        assertThat(f.etag()).isEqualTo(expected.etag());
                    });
                } else {
                    assertThat(head).isInstanceOf(ObjectHead.Missing.class);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code n} bytes of a varying pattern, so different sizes never share content. */
    protected static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + n);
        }
        return b;
    }
}
