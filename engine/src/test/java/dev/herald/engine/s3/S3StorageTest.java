package dev.herald.engine.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class S3StorageTest {
    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String ACCOUNT = "0123456789abcdef0123456789abcdef";

    static Stream<Arguments> publicUrls() {
        return Stream.of(
                Arguments.of("AWS, virtual-hosted", storage(S3Storage.awsS3("eu-west-1")), "my-bucket",
                        "avatars/a b/ü.png", "https://my-bucket.s3.eu-west-1.amazonaws.com/avatars/a%20b/%C3%BC.png"),
                Arguments.of("AWS, path-style", storage(S3Storage.awsS3("us-east-2").pathStyle(true)), "my-bucket",
                        "file.txt", "https://s3.us-east-2.amazonaws.com/my-bucket/file.txt"),
                Arguments.of("AWS China", storage(S3Storage.awsS3("cn-north-1")), "b1x", "k",
                        "https://b1x.s3.cn-north-1.amazonaws.com.cn/k"),
                Arguments.of("AWS behind a CDN", storage(S3Storage.awsS3("eu-west-1")
                                .publicBaseUrl(URI.create("https://cdn.example.com/"))), "my-bucket",
                        "img/logo.svg", "https://cdn.example.com/img/logo.svg"),
                Arguments.of("R2, account endpoint", storage(S3Storage.r2(ACCOUNT)), "media", "v/clip.mp4",
                        "https://" + ACCOUNT + ".r2.cloudflarestorage.com/media/v/clip.mp4"),
                Arguments.of("R2, r2.dev", storage(S3Storage.r2(ACCOUNT)
                                .publicBaseUrl(URI.create("https://pub-1a2b3c.r2.dev"))), "media", "v/clip.mp4",
                        "https://pub-1a2b3c.r2.dev/v/clip.mp4"),
                Arguments.of("R2, custom domain with a path", storage(S3Storage.r2(ACCOUNT)
                                .publicBaseUrl(URI.create("https://files.example.com/uploads/"))), "media",
                        "report (final).pdf", "https://files.example.com/uploads/report%20%28final%29.pdf"),
                Arguments.of("MinIO", storage(S3Storage.s3Compatible(URI.create("http://127.0.0.1:9000"))),
                        "uploads", "2026/11/x.bin", "http://127.0.0.1:9000/uploads/2026/11/x.bin"),
                Arguments.of("Supabase", storage(S3Storage.s3Compatible(
                                URI.create("https://abcd.supabase.co/storage/v1/s3"))), "avatars", "u/1.png",
                        "https://abcd.supabase.co/storage/v1/s3/avatars/u/1.png"),
                Arguments.of("compatible, virtual-hosted", storage(S3Storage.s3Compatible(
                                URI.create("https://storage.example.net:8443/")).pathStyle(false)), "docs", "a.txt",
                        "https://docs.storage.example.net:8443/a.txt"),
                Arguments.of("reserved characters", storage(S3Storage.s3Compatible(URI.create("http://h"))), "b-1",
                        "a+b=c&d?e#f%g;h,i@j~k_l.m-n", "http://h/b-1/a%2Bb%3Dc%26d%3Fe%23f%25g%3Bh%2Ci%40j~k_l.m-n"),
                Arguments.of("empty segments and dot segments kept", storage(S3Storage.s3Compatible(URI.create("http://h"))),
                        "b-1", "a//b/../c/", "http://h/b-1/a//b/../c/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publicUrls")
    void publicUrlPerProvider(String name, S3Storage storage, String bucket, String key, String expected) {
        URI url = storage.publicUrl(bucket, key);

        assertThat(url).hasToString(expected);
        assertThat(url.isAbsolute()).isTrue();
    }

    @Test
    void defaultsPerProvider() {
        S3Storage aws = storage(S3Storage.awsS3("eu-central-1"));
        assertThat(aws.provider()).isEqualTo(S3Provider.AWS_S3);
        assertThat(aws.region()).isEqualTo("eu-central-1");
        assertThat(aws.endpoint()).hasToString("https://s3.eu-central-1.amazonaws.com");
        assertThat(aws.pathStyle()).isFalse();
        assertThat(aws.publicBaseUrl()).isEmpty();

        S3Storage r2 = storage(S3Storage.r2(ACCOUNT.toUpperCase()));
        assertThat(r2.provider()).isEqualTo(S3Provider.R2);
        assertThat(r2.region()).isEqualTo("auto");
        assertThat(r2.endpoint()).hasToString("https://" + ACCOUNT + ".r2.cloudflarestorage.com");
        assertThat(r2.pathStyle()).isFalse();

        S3Storage minio = storage(S3Storage.s3Compatible(URI.create("HTTP://Minio.Local:9000/")).region("eu-1"));
        assertThat(minio.provider()).isEqualTo(S3Provider.S3_COMPATIBLE);
        assertThat(minio.region()).isEqualTo("eu-1");
        assertThat(minio.endpoint()).hasToString("http://Minio.Local:9000");
        assertThat(minio.pathStyle()).isTrue();
        assertThat(storage(S3Storage.s3Compatible(URI.create("http://h"))).region()).isEqualTo("us-east-1");

        assertThat(S3Provider.AWS_S3.id()).isEqualTo("s3");
        assertThat(S3Provider.R2.id()).isEqualTo("r2");
        assertThat(S3Provider.S3_COMPATIBLE.id()).isEqualTo("s3-compatible");
    }

    @Test
    void credentialsNeverShowInToString() {
        S3Storage storage = storage(S3Storage.r2(ACCOUNT).publicBaseUrl(URI.create("https://pub-1.r2.dev")));

        assertThat(storage.toString()).contains("R2", ACCOUNT, "auto", "https://pub-1.r2.dev")
                .doesNotContain(KEY_ID).doesNotContain(SECRET);
        try (S3UploadSigner signer = S3UploadSigner.create(storage);
             S3ObjectVerifier verifier = S3ObjectVerifier.create(storage)) {
            assertThat(signer.toString()).doesNotContain(KEY_ID).doesNotContain(SECRET);
            assertThat(verifier.toString()).doesNotContain(KEY_ID).doesNotContain(SECRET);
        }
    }

    @Test
    void builderIsReusableAndBuildsIndependentCopies() {
        S3Storage.Builder builder = S3Storage.awsS3("eu-west-1").credentials(KEY_ID, SECRET);

        S3Storage first = builder.build();
        builder.pathStyle(true);
        S3Storage second = builder.build();

        assertThat(first.pathStyle()).isFalse();
        assertThat(second.pathStyle()).isTrue();
    }

    @Test
    void entryPointsCheckTheirArgument() {
        assertNpe(() -> S3Storage.awsS3(null), "region");
        assertIae(() -> S3Storage.awsS3(""), "region must be 1 to 64 letters");
        assertIae(() -> S3Storage.awsS3("eu west 1"), "region must be 1 to 64 letters");
        assertIae(() -> S3Storage.awsS3("x".repeat(65)), "region must be 1 to 64 letters");

        assertNpe(() -> S3Storage.r2(null), "accountId");
        assertIae(() -> S3Storage.r2("my-account"), "accountId must be the 32 hex digits");
        assertIae(() -> S3Storage.r2(ACCOUNT + "0"), "accountId must be the 32 hex digits");

        assertNpe(() -> S3Storage.s3Compatible(null), "endpoint");
        assertIae(() -> S3Storage.s3Compatible(URI.create("ftp://files.example.com")), "absolute http or https");
        assertIae(() -> S3Storage.s3Compatible(URI.create("/relative/path")), "absolute http or https");
        assertIae(() -> S3Storage.s3Compatible(URI.create("mailto:ops@example.com")), "absolute http or https");
        assertIae(() -> S3Storage.s3Compatible(URI.create("http:///no-host")), "must name a host");
        assertIae(() -> S3Storage.s3Compatible(URI.create("http://h:9000/?x=1")), "query or a fragment");
        assertIae(() -> S3Storage.s3Compatible(URI.create("http://h:9000/#top")), "query or a fragment");
    }

    @Test
    void endpointWithUserInfoIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> S3Storage.s3Compatible(URI.create("http://admin:" + SECRET.replace("/", "")
                + "@minio.local:9000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint must not carry user info; give credentials separately");
    }

    @Test
    void settersCheckTheirArgument() {
        assertNpe(() -> S3Storage.awsS3("eu-west-1").credentials(null, SECRET), "accessKeyId");
        assertNpe(() -> S3Storage.awsS3("eu-west-1").credentials(KEY_ID, null), "secretAccessKey");
        assertIae(() -> S3Storage.awsS3("eu-west-1").credentials(" ", SECRET), "accessKeyId must be non-blank");
        assertIae(() -> S3Storage.awsS3("eu-west-1").credentials(KEY_ID, ""), "secretAccessKey must be non-blank");
        assertIae(() -> S3Storage.awsS3("eu-west-1").credentials(KEY_ID, SECRET + " "), "secretAccessKey must be non-blank");

        assertNpe(() -> S3Storage.s3Compatible(URI.create("http://h")).region(null), "region");
        assertIae(() -> S3Storage.s3Compatible(URI.create("http://h")).region("a/b"), "region must be 1 to 64");

        assertNpe(() -> S3Storage.r2(ACCOUNT).publicBaseUrl(null), "publicBaseUrl");
        assertIae(() -> S3Storage.r2(ACCOUNT).publicBaseUrl(URI.create("files.example.com")), "publicBaseUrl must be an absolute");
        assertIae(() -> S3Storage.r2(ACCOUNT).publicBaseUrl(URI.create("https://cdn.example.com/?v=1")), "query or a fragment");
    }

    @Test
    void settingTwiceOrWhereItDoesNotApplyIsAClash() {
        assertIse(() -> S3Storage.awsS3("eu-west-1").credentials(KEY_ID, SECRET).credentials(KEY_ID, SECRET),
                "credentials(accessKeyId, secretAccessKey) was already called");
        assertIse(() -> S3Storage.r2(ACCOUNT).region("eu"), "R2 always uses region 'auto'");
        assertIse(() -> S3Storage.awsS3("eu-west-1").region("us-east-1"), "region was already set by awsS3(region)");
        assertIse(() -> S3Storage.s3Compatible(URI.create("http://h")).region("a").region("b"),
                "region was already set by region(region)");
        assertIse(() -> S3Storage.awsS3("eu-west-1").pathStyle(true).pathStyle(false), "pathStyle was already set to true");
        assertIse(() -> S3Storage.r2(ACCOUNT).publicBaseUrl(URI.create("https://a.example"))
                .publicBaseUrl(URI.create("https://b.example")), "publicBaseUrl was already set to https://a.example");
    }

    @Test
    void buildWithoutCredentialsFails() {
        assertIse(() -> S3Storage.awsS3("eu-west-1").build(),
                "credentials(accessKeyId, secretAccessKey) must be called before build()");
    }

    @Test
    void publicUrlChecksBucketAndKey() {
        S3Storage storage = storage(S3Storage.awsS3("eu-west-1"));

        assertNpe(() -> storage.publicUrl(null, "k"), "bucket");
        assertNpe(() -> storage.publicUrl("b", null), "key");
        assertIae(() -> storage.publicUrl("", "k"), "bucket must be 1 to 255");
        assertIae(() -> storage.publicUrl("a/b", "k"), "bucket must be 1 to 255");
        assertIae(() -> storage.publicUrl("-ab", "k"), "bucket must be 1 to 255");
        assertIae(() -> storage.publicUrl("b", ""), "key must not be empty");
        assertIae(() -> storage.publicUrl("b", "x".repeat(1025)), "key must be at most 1024 bytes");
        assertIae(() -> storage.publicUrl("b", "é".repeat(513)), "key must be at most 1024 bytes");
        assertIae(() -> storage.publicUrl("b", "a\nb"), "key must not contain control characters");
        assertThat(storage.publicUrl("b", "x".repeat(1024)).toString()).endsWith("x".repeat(1024));
    }

    private static S3Storage storage(S3Storage.Builder builder) {
        return builder.credentials(KEY_ID, SECRET).build();
    }

    private static void assertNpe(Supplier<?> call, String parameter) {
        assertThatThrownBy(call::get).isInstanceOf(NullPointerException.class).hasMessage(parameter);
    }

    private static void assertIae(Supplier<?> call, String messagePart) {
        assertThatThrownBy(call::get).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(messagePart)
                .message().doesNotContain(SECRET);
    }

    private static void assertIse(Supplier<?> call, String messageStart) {
        assertThatThrownBy(call::get).isInstanceOf(IllegalStateException.class).hasMessageStartingWith(messageStart)
                .message().doesNotContain(SECRET).doesNotContain(KEY_ID);
    }
}
