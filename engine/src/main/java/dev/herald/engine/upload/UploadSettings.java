package dev.herald.engine.upload;

import static dev.herald.engine.internal.Checks.inRange;

import dev.herald.engine.spi.ObjectVerifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the engine watches direct-to-storage uploads; given to {@code HeraldBuilder.uploads(UploadSettings)}.
 * Immutable and thread-safe; made by {@link #builder()}. For S3 and R2,
 * {@code dev.herald.engine.s3.S3Uploads} gives a builder with the signer and verifier already set.
 *
 * <p>Defaults (named constants below): any well-formed content type, at most 5 GiB per object, 4 KiB of
 * metadata, URLs valid for 1 hour, uploads watched for 24 hours, keys under {@code uploads/}; the poller
 * ticks every second, takes 100 due uploads a tick, HEADs them on 4 threads, at most 50 HEADs a second per
 * bucket, on the schedule 2 s, 5 s, 15 s, then every 60 s; storage errors are retried after 1 s, doubling
 * up to 60 s.
 */
public final class UploadSettings {
    /** Largest object by default, and the most any setting allows: the single-PUT limit of S3 (5 GiB). */
    public static final long DEFAULT_MAX_SIZE = 5L * 1024 * 1024 * 1024;
    /** Largest metadata, in UTF-8 bytes, by default. */
    public static final int DEFAULT_MAX_METADATA_BYTES = 4 * 1024;
    /** Lifetime of a presigned URL by default. */
    public static final Duration DEFAULT_URL_EXPIRY = Duration.ofHours(1);
    /** How long an upload is watched by default. */
    public static final Duration DEFAULT_WATCH_EXPIRY = Duration.ofHours(24);
    /** Shortest URL or watch lifetime. */
    public static final Duration MIN_EXPIRY = Duration.ofMinutes(1);
    /** Longest URL or watch lifetime: the SigV4 limit. */
    public static final Duration MAX_EXPIRY = Duration.ofDays(7);
    /** Delays between HEADs of an auto-detected upload; the last one repeats. */
    public static final List<Duration> DEFAULT_POLL_SCHEDULE = List.of(Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(15), Duration.ofSeconds(60));
    /** How often the poller looks for due uploads when the last look found less than a full batch. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Due uploads taken from the store per tick. */
    public static final int DEFAULT_POLL_BATCH_SIZE = 100;
    /** Threads the poller HEADs on. */
    public static final int DEFAULT_HEAD_THREADS = 4;
    /** HEADs per second per bucket the poller makes at most. */
    public static final int DEFAULT_MAX_HEADS_PER_SECOND = 50;
    /** First delay after storage could not answer. */
    public static final Duration DEFAULT_VERIFY_RETRY_DELAY = Duration.ofSeconds(1);
    /** Longest delay after storage could not answer. */
    public static final Duration DEFAULT_VERIFY_RETRY_MAX_DELAY = Duration.ofSeconds(60);
    /** Where generated keys go. */
    public static final String DEFAULT_KEY_PREFIX = "uploads/";

    private final UploadUrlSigner signer;
    private final ObjectVerifier verifier;
    private final String defaultBucket;
    private final Set<String> allowedContentTypes;
    private final long maxSize;
    private final int maxMetadataBytes;
    private final Duration urlExpiry;
    private final Duration watchExpiry;
    private final List<Duration> pollSchedule;
    private final Duration pollInterval;
    private final int pollBatchSize;
    private final int headThreads;
    private final int maxHeadsPerSecond;
    private final Duration verifyRetryDelay;
    private final Duration verifyRetryMaxDelay;
    private final String keyPrefix;

    private UploadSettings(Builder b) {
        this.signer = b.signer;
        this.verifier = b.verifier;
        this.defaultBucket = b.defaultBucket;
        this.allowedContentTypes = Set.copyOf(b.allowedContentTypes);
        this.maxSize = b.maxSize;
        this.maxMetadataBytes = b.maxMetadataBytes;
        this.urlExpiry = b.urlExpiry;
        this.watchExpiry = b.watchExpiry;
        this.pollSchedule = List.copyOf(b.pollSchedule);
        this.pollInterval = b.pollInterval;
        this.pollBatchSize = b.pollBatchSize;
        this.headThreads = b.headThreads;
        this.maxHeadsPerSecond = b.maxHeadsPerSecond;
        this.verifyRetryDelay = b.verifyRetryDelay;
        this.verifyRetryMaxDelay = b.verifyRetryMaxDelay;
        this.keyPrefix = b.keyPrefix;
    }

    /** A builder with every default; {@link Builder#signer} and {@link Builder#verifier} must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Makes presigned URLs. */
    public UploadUrlSigner signer() {
        return signer;
    }

    /** HEADs objects. */
    public ObjectVerifier verifier() {
        return verifier;
    }

    /** The bucket of requests that name none; empty when every request must name one. */
    public Optional<String> defaultBucket() {
        return Optional.ofNullable(defaultBucket);
    }

    /** Allowed media ranges ({@code image/png}, {@code image/*}); empty means any well-formed type. */
    public Set<String> allowedContentTypes() {
        return allowedContentTypes;
    }

    /** Largest object accepted, in bytes. */
    public long maxSize() {
        return maxSize;
    }

    /** Largest metadata accepted, in UTF-8 bytes. */
    public int maxMetadataBytes() {
        return maxMetadataBytes;
    }

    /** Lifetime of a presigned URL unless the request says otherwise. */
    public Duration urlExpiry() {
        return urlExpiry;
    }

    /** How long an upload is watched unless the request says otherwise. */
    public Duration watchExpiry() {
        return watchExpiry;
    }

    /** Delays between HEADs of an auto-detected upload; the last one repeats. */
    public List<Duration> pollSchedule() {
        return pollSchedule;
    }

    /** Pause between poller ticks that found less than a full batch. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** Due uploads taken per tick. */
    public int pollBatchSize() {
        return pollBatchSize;
    }

    /** Threads the poller HEADs on. */
    public int headThreads() {
        return headThreads;
    }

    /** Most HEADs per second per bucket the poller makes. */
    public int maxHeadsPerSecond() {
        return maxHeadsPerSecond;
    }

    /** First delay after storage could not answer. */
    public Duration verifyRetryDelay() {
        return verifyRetryDelay;
    }

    /** Longest delay after storage could not answer. */
    public Duration verifyRetryMaxDelay() {
        return verifyRetryMaxDelay;
    }

    /** Prefix of generated keys. */
    public String keyPrefix() {
        return keyPrefix;
    }

    @Override
    public String toString() {
        return "UploadSettings[signer=" + signer + ", verifier=" + verifier + ", defaultBucket=" + defaultBucket
                + ", allowedContentTypes=" + allowedContentTypes + ", maxSize=" + maxSize + ", urlExpiry=" + urlExpiry
                + ", watchExpiry=" + watchExpiry + ", pollSchedule=" + pollSchedule + "]";
    }

    /**
     * Collects {@link UploadSettings}. Each setter checks its argument at once: null throws
     * {@link NullPointerException} naming the parameter, out of range throws {@link IllegalArgumentException}
     * stating the range, a second call of the same setter throws {@link IllegalStateException}. Rules across
     * settings are checked by {@link #build()}. Building copies the settings, so a builder may be reused.
     * Not thread-safe.
     */
    public static final class Builder {
        private UploadUrlSigner signer;
        private ObjectVerifier verifier;
        private String defaultBucket;
        private final Set<String> allowedContentTypes = new LinkedHashSet<>();
        private long maxSize = DEFAULT_MAX_SIZE;
        private int maxMetadataBytes = DEFAULT_MAX_METADATA_BYTES;
        private Duration urlExpiry = DEFAULT_URL_EXPIRY;
        private Duration watchExpiry = DEFAULT_WATCH_EXPIRY;
        private List<Duration> pollSchedule = DEFAULT_POLL_SCHEDULE;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private int pollBatchSize = DEFAULT_POLL_BATCH_SIZE;
        private int headThreads = DEFAULT_HEAD_THREADS;
        private int maxHeadsPerSecond = DEFAULT_MAX_HEADS_PER_SECOND;
        private Duration verifyRetryDelay = DEFAULT_VERIFY_RETRY_DELAY;
        private Duration verifyRetryMaxDelay = DEFAULT_VERIFY_RETRY_MAX_DELAY;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private final Set<String> set = new HashSet<>();

        private Builder() {
        }

        /** Makes presigned URLs. Required. */
        public Builder signer(UploadUrlSigner value) {
            Objects.requireNonNull(value, "signer");
            once("signer");
            this.signer = value;
            return this;
        }

        /** HEADs objects to verify them. Required. */
        public Builder verifier(ObjectVerifier value) {
            Objects.requireNonNull(value, "verifier");
            once("verifier");
            this.verifier = value;
            return this;
        }

        /** The bucket of requests that name none. Default: none, so every request must name a bucket. */
        public Builder defaultBucket(String value) {
            Objects.requireNonNull(value, "defaultBucket");
            String error = StorageRules.checkBucket(value);
            if (error != null) {
                throw new IllegalArgumentException(error);
            }
            once("defaultBucket");
            this.defaultBucket = value;
            return this;
        }

        /**
         * Content types uploads may have: exact ({@code application/pdf}), a whole type ({@code image/*}) or
         * {@code *}{@code /*}. Matching ignores case and parameters. Default: any well-formed media type.
         */
        public Builder allowedContentTypes(String... ranges) {
            Objects.requireNonNull(ranges, "ranges");
            if (ranges.length == 0) {
                throw new IllegalArgumentException("allowedContentTypes needs at least one media range");
            }
            Set<String> checked = new LinkedHashSet<>();
            for (String range : ranges) {
                Objects.requireNonNull(range, "range");
                String lower = range.trim().toLowerCase(Locale.ROOT);
                if (!StorageRules.isMediaRange(lower)) {
                    throw new IllegalArgumentException("not a media range (type/subtype, type/* or */*): " + range);
                }
                checked.add(lower);
            }
            once("allowedContentTypes");
            allowedContentTypes.addAll(checked);
            return this;
        }

        /** Largest object in bytes, within [1, 5 GiB]. Default 5 GiB. */
        public Builder maxSize(long bytes) {
            if (bytes < 1 || bytes > DEFAULT_MAX_SIZE) {
                throw new IllegalArgumentException("maxSize must be within [1, " + DEFAULT_MAX_SIZE + "], was " + bytes);
            }
            once("maxSize");
            this.maxSize = bytes;
            return this;
        }

        /** Largest metadata in UTF-8 bytes, within [2, 65536]. Default 4096. */
        public Builder maxMetadataBytes(int bytes) {
            if (bytes < 2 || bytes > 65_536) {
                throw new IllegalArgumentException("maxMetadataBytes must be within [2, 65536], was " + bytes);
            }
            once("maxMetadataBytes");
            this.maxMetadataBytes = bytes;
            return this;
        }

        /** Lifetime of presigned URLs, within [1 min, 7 days]; at most the watch expiry. Default 1 h. */
        public Builder urlExpiry(Duration value) {
            Duration checked = inRange("urlExpiry", value, MIN_EXPIRY, MAX_EXPIRY);
            once("urlExpiry");
            this.urlExpiry = checked;
            return this;
        }

        /** How long uploads are watched, within [1 min, 7 days]; at least the URL expiry. Default 24 h. */
        public Builder watchExpiry(Duration value) {
            Duration checked = inRange("watchExpiry", value, MIN_EXPIRY, MAX_EXPIRY);
            once("watchExpiry");
            this.watchExpiry = checked;
            return this;
        }

        /**
         * Delays between HEADs of an auto-detected upload, 1 to 20 of them, each within [10 ms, 1 h]; after
         * the last, it repeats. The first delay also separates the two agreeing HEADs that complete an
         * upload. Default 2 s, 5 s, 15 s, 60 s.
         */
        public Builder pollSchedule(Duration... delays) {
            Objects.requireNonNull(delays, "delays");
            if (delays.length < 1 || delays.length > 20) {
                throw new IllegalArgumentException("pollSchedule needs 1 to 20 delays, was " + delays.length);
            }
            List<Duration> checked = new ArrayList<>();
            for (Duration d : delays) {
                checked.add(inRange("delay", d, Duration.ofMillis(10), Duration.ofHours(1)));
            }
            once("pollSchedule");
            this.pollSchedule = checked;
            return this;
        }

        /** Pause between poller ticks, within [10 ms, 1 min]. Default 1 s. */
        public Builder pollInterval(Duration value) {
            Duration checked = inRange("pollInterval", value, Duration.ofMillis(10), Duration.ofMinutes(1));
            once("pollInterval");
            this.pollInterval = checked;
            return this;
        }

        /** Due uploads taken per tick, within [1, 10000]. Default 100. */
        public Builder pollBatchSize(int value) {
            int checked = inRange("pollBatchSize", value, 1, 10_000);
            once("pollBatchSize");
            this.pollBatchSize = checked;
            return this;
        }

        /** Threads the poller HEADs on, within [1, 256]. Default 4. */
        public Builder headThreads(int value) {
            int checked = inRange("headThreads", value, 1, 256);
            once("headThreads");
            this.headThreads = checked;
            return this;
        }

        /**
         * Most HEADs per second per bucket the poller makes, within [1, 100000]. Confirms and notifications
         * are not limited: they come one per upload, and making a client wait would not spare storage.
         * Default 50.
         */
        public Builder maxHeadsPerSecond(int value) {
            int checked = inRange("maxHeadsPerSecond", value, 1, 100_000);
            once("maxHeadsPerSecond");
            this.maxHeadsPerSecond = checked;
            return this;
        }

        /**
         * Backoff when storage cannot answer (throttled, 5xx, unreachable): {@code first} after the first
         * failure, doubling up to {@code max}. {@code first} within [10 ms, 10 min], {@code max} within
         * [{@code first}, 1 h]. Default 1 s up to 60 s.
         */
        public Builder verifyRetry(Duration first, Duration max) {
            Duration f = inRange("first", first, Duration.ofMillis(10), Duration.ofMinutes(10));
            Duration m = inRange("max", max, f, Duration.ofHours(1));
            once("verifyRetry");
            this.verifyRetryDelay = f;
            this.verifyRetryMaxDelay = m;
            return this;
        }

        /**
         * Prefix of generated keys: empty, or ending with {@code /}, without {@code .}/{@code ..} segments,
         * leading {@code /} or control characters, at most 256 bytes. Default {@code uploads/}.
         */
        public Builder keyPrefix(String value) {
            Objects.requireNonNull(value, "keyPrefix");
            String error = StorageRules.checkPrefix(value);
            if (error != null) {
                throw new IllegalArgumentException(error.replace("key ", "keyPrefix "));
            }
            once("keyPrefix");
            this.keyPrefix = value;
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalStateException when the signer or verifier is missing, or the URL expiry is longer
         *                               than the watch expiry
         */
        public UploadSettings build() {
            if (signer == null) {
                throw new IllegalStateException("signer(...) is required");
            }
            if (verifier == null) {
                throw new IllegalStateException("verifier(...) is required");
            }
            if (urlExpiry.compareTo(watchExpiry) > 0) {
                throw new IllegalStateException("urlExpiry (" + urlExpiry + ") must not be longer than watchExpiry ("
                        + watchExpiry + ")");
            }
            return new UploadSettings(this);
        }

        private void once(String name) {
            if (!set.add(name)) {
                throw new IllegalStateException(name + " was already set");
            }
        }
    }
}
