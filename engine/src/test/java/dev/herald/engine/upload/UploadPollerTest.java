package dev.herald.engine.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.engine.Herald;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.model.UploadTrigger;
import dev.herald.engine.spi.ObjectHead;
import dev.herald.engine.spi.ObjectVerifier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The poller's manners: HEADs per bucket are rate-limited, and a process that never starts polls nothing. */
class UploadPollerTest {
    static final String TENANT = "acme";

    /** Every HEAD with its bucket and time; nothing is ever there. */
    record Head(String bucket, long nanos) {
    }

    final List<Head> heads = new CopyOnWriteArrayList<>();
    final ObjectVerifier verifier = (bucket, key) -> {
        heads.add(new Head(bucket, System.nanoTime()));
        return new ObjectHead.Missing();
    };
    Herald herald;

    @AfterEach
    void close() {
        herald.close();
    }

    Herald engine(int headsPerSecond) {
        UploadSettings settings = UploadSettings.builder().signer(UploadSettingsTest.SIGNER).verifier(verifier)
                .pollSchedule(Duration.ofMillis(10)).pollInterval(Duration.ofMillis(10))
                .maxHeadsPerSecond(headsPerSecond).build();
        herald = Herald.builder().urlPolicy(UrlPolicy.permissive()).uploads(settings).build();
        return herald;
    }

    void watch(String bucket, int uploads) {
        for (int i = 0; i < uploads; i++) {
            herald.uploads().register(TENANT, UploadRequest.of("f" + i, "text/plain").withBucket(bucket)
                    .withTriggers(UploadTrigger.AUTO_DETECT)
                    .withWebhook(UploadWebhook.adHoc("http://127.0.0.1:9/hook", "a-long-enough-secret")));
        }
    }

    @Test
    void headsPerBucketAreRateLimited() {
        engine(10);
        watch("busy", 50);
        watch("quiet", 1);

        herald.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> count("busy") >= 12);
        List<Head> busy = heads.stream().filter(h -> h.bucket().equals("busy")).toList();
        double seconds = (busy.get(11).nanos() - busy.get(0).nanos()) / 1e9;
        // 11 intervals at 10 a second take about 1.1 s; 50 uploads due every 10 ms would take no time unthrottled.
        assertThat(seconds).isGreaterThan(0.8);
        // The busy bucket does not starve the other one.
        assertThat(count("quiet")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void nothingIsPolledUntilStarted() {
        engine(50);
        watch("b-1", 3);

        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(heads::isEmpty);
        herald.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> count("b-1") >= 6);
        herald.close();
        int afterClose = heads.size();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> heads.size() == afterClose);
    }

    long count(String bucket) {
        return heads.stream().filter(h -> h.bucket().equals(bucket)).count();
    }
}
