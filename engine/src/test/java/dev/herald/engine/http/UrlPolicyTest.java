package dev.herald.engine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engine.ErrorCode;
import dev.herald.engine.HeraldException;
import dev.herald.engine.testing.Addresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Tables of URLs and addresses; nothing here opens a connection or asks a real DNS server. */
class UrlPolicyTest {

    private static final UrlPolicy STRICT = UrlPolicy.builder().resolver(UrlPolicyTest::noLookups).build();
    private static final UrlPolicy HTTP_ALLOWED = UrlPolicy.builder().allowHttp(true).resolver(UrlPolicyTest::noLookups).build();
    private static final UrlPolicy PERMISSIVE = UrlPolicy.builder().allowHttp(true).allowPrivateNetworks(true)
            .resolver(UrlPolicyTest::noLookups).build();

    private static List<InetAddress> noLookups(String host) {
        throw new AssertionError("unexpected DNS lookup of " + host);
    }

    // ---- check: syntax ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "not a url",
            "/relative/path",
            "example.com/webhooks",
            "ftp://example.com/file",
            "file:///etc/passwd",
            "gopher://example.com/",
            "mailto:hooks@example.com",
            "https:opaque",
            "https://user:pass@example.com/",
            "https://user@example.com/",
            "https://example.com@127.0.0.1/",
            "https://user:pass@127.1/",
            "https://example.com/hook#fragment",
            "https:///no-host",
            "https://example.com:0/",
            "https://example.com:70000/",
            "https://exa mple.com/",
            "https://b\u00fccher.de/",
            "https://my_host.example.com/",
            "https://[fe80::1%25eth0]/",
            "https://[::1/",
    })
    void malformedUrlsAreInvalidUnderEveryPolicy(String url) {
        for (UrlPolicy policy : List.of(STRICT, HTTP_ALLOWED, PERMISSIVE)) {
            assertRefused(policy, url, ErrorCode.INVALID_URL);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://2130706433/",
            "https://0x7f000001/",
            "https://0X7F000001/",
            "https://0177.0.0.1/",
            "https://0x7f.0.0.1/",
            "https://127.1/",
            "https://127.0.1/",
            "https://127.0.0.01/",
            "https://010.0.0.1/",
            "https://1.2.3.4.5/",
            "https://256.1.1.1/",
            "https://example.123/",
            "https://example.0x1/",
    })
    void ambiguousNumericHostsAreInvalidUnderEveryPolicy(String url) {
        for (UrlPolicy policy : List.of(STRICT, HTTP_ALLOWED, PERMISSIVE)) {
            assertRefused(policy, url, ErrorCode.INVALID_URL);
        }
    }

    @Test
    void httpIsInvalidWhenOnlyHttpsIsAllowed() {
        assertRefused(STRICT, "http://example.com/webhooks", ErrorCode.INVALID_URL);
        assertThat(HTTP_ALLOWED.check("http://example.com/webhooks")).hasScheme("http");
    }

    @Test
    void tooLongUrlsAreInvalid() {
        String base = "https://example.com/";
        String longest = base + "a".repeat(UrlPolicy.MAX_URL_LENGTH - base.length());
        assertThat(STRICT.check(longest)).isNotNull();
        assertRefused(STRICT, longest + "a", ErrorCode.INVALID_URL);
    }

    @Test
    void messagesNeverRepeatTheUrl() {
        for (String url : List.of("https://user:s3cr3t@example.com/", "https://exa mple.com/?token=s3cr3t",
                "https://example.com/#s3cr3t", "ftp://example.com/s3cr3t", "https://10.0.0.1/?s3cr3t")) {
            assertThatThrownBy(() -> STRICT.check(url)).isInstanceOf(HeraldException.class)
                    .message().doesNotContain("s3cr3t");
        }
    }

    // ---- check: blocked hosts --------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "https://127.0.0.1/",
            "https://127.255.255.254:8443/hook",
            "https://0.0.0.0/",
            "https://10.0.0.1/",
            "https://10.255.255.255/",
            "https://172.16.0.1/",
            "https://172.31.255.255/",
            "https://192.168.1.1/",
            "https://100.64.0.1/",
            "https://100.127.255.255/",
            "https://169.254.169.254/latest/meta-data/",
            "https://169.254.0.1/",
            "https://192.0.0.170/",
            "https://198.18.0.1/",
            "https://198.19.255.255/",
            "https://224.0.0.1/",
            "https://239.255.255.250/",
            "https://240.0.0.1/",
            "https://255.255.255.255/",
            "https://[::1]/",
            "https://[0:0:0:0:0:0:0:1]/",
            "https://[::]/",
            "https://[::ffff:127.0.0.1]/",
            "https://[::ffff:7f00:1]/",
            "https://[::ffff:169.254.169.254]/",
            "https://[::ffff:10.0.0.1]/",
            "https://[::127.0.0.1]/",
            "https://[fe80::1]/",
            "https://[febf::1]/",
            "https://[fec0::1]/",
            "https://[fc00::1]/",
            "https://[fd12:3456::1]/",
            "https://[fd00:ec2::254]/",
            "https://[ff02::1]/",
            "https://[64:ff9b::a00:1]/",
            "https://[64:ff9b::127.0.0.1]/",
            "https://[64:ff9b:1::1]/",
            "https://[2002:7f00:1::1]/",
            "https://[2002:a9fe:a9fe::]/",
            "https://[2001:db8::1]/",
            "https://localhost/",
            "https://LOCALHOST:8443/",
            "https://localhost./",
            "https://api.localhost/",
            "https://metadata.google.internal/computeMetadata/v1/",
            "https://printer.local/",
            "https://router.home.arpa/",
    })
    void privateAndSpecialHostsAreBlocked(String url) {
        assertRefused(STRICT, url, ErrorCode.BLOCKED_URL);
        assertRefused(HTTP_ALLOWED, url.replaceFirst("^https", "http"), ErrorCode.BLOCKED_URL);
        assertThat(PERMISSIVE.check(url)).isEqualTo(URI.create(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://example.com/webhooks",
            "https://EXAMPLE.com:8443/a/b?c=d&e=f",
            "HTTPS://example.com/",
            "https://hooks.example.co.uk/x",
            "https://example.com./",
            "https://xn--bcher-kva.de/",
            "https://localhost.example.com/",
            "https://internal-hooks.example.com/",
            "https://93.184.216.34/",
            "https://8.8.8.8:443/",
            "https://1.1.1.1/",
            "https://172.15.255.255/",
            "https://172.32.0.1/",
            "https://100.63.255.255/",
            "https://100.128.0.1/",
            "https://192.169.0.1/",
            "https://169.253.0.1/",
            "https://223.255.255.254/",
            "https://[2606:4700:4700::1111]/",
            "https://[2001:4860:4860::8888]:8443/",
            "https://[64:ff9b::808:808]/",
            "https://[2002:808:808::1]/",
            "https://[::ffff:8.8.8.8]/",
    })
    void publicHostsAreAllowed(String url) {
        assertThat(STRICT.check(url)).isEqualTo(URI.create(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1:8080/hook",
            "http://localhost/",
            "https://[::1]:8443/",
            "http://10.0.0.5/",
            "http://169.254.169.254/",
    })
    void permissivePolicyAllowsLocalTargets(String url) {
        assertThat(UrlPolicy.permissive().check(url)).isEqualTo(URI.create(url));
    }

    // ---- resolveAllowed --------------------------------------------------------------------------

    @Test
    void nameResolvingToPrivateAddressIsBlocked() throws Exception {
        UrlPolicy policy = withDns(Map.of("internal.example.com", List.of(v4("internal.example.com", 10, 0, 0, 5))));
        URI url = policy.check("https://internal.example.com/hook");

        assertThatThrownBy(() -> policy.resolveAllowed(url))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOCKED_URL))
                .message().doesNotContain("10.0.0.5");
    }

    @Test
    void anyBlockedAddressAmongSeveralBlocksTheName() throws Exception {
        UrlPolicy policy = withDns(Map.of("mixed.example.com",
                List.of(v4("mixed.example.com", 93, 184, 216, 34), v4("mixed.example.com", 127, 0, 0, 1))));

        assertBlockedOnResolve(policy, "https://mixed.example.com/");
    }

    @Test
    void namesResolvingToSpecialIpv6AreBlocked() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 169;
        mapped[13] = (byte) 254;
        mapped[14] = (byte) 169;
        mapped[15] = (byte) 254;
        UrlPolicy policy = withDns(Map.of(
                "ula.example.com", List.of(InetAddress.getByName("fd00::1")),
                "mapped.example.com", List.of(Inet6Address.getByAddress("mapped.example.com", mapped, -1)),
                "aws.example.com", List.of(InetAddress.getByName("fd00:ec2::254"))));

        assertBlockedOnResolve(policy, "https://ula.example.com/");
        assertBlockedOnResolve(policy, "https://mapped.example.com/");
        assertBlockedOnResolve(policy, "https://aws.example.com/");
    }

    @Test
    void nameResolvingToPublicAddressesIsAllowed() throws Exception {
        List<InetAddress> addresses = List.of(v4("hooks.example.com", 93, 184, 216, 34),
                InetAddress.getByName("2606:2800:220:1:248:1893:25c8:1946"));
        UrlPolicy policy = withDns(Map.of("hooks.example.com", addresses));

        assertThat(policy.resolveAllowed(URI.create("https://hooks.example.com/in"))).isEqualTo(addresses);
        assertThat(policy.resolveAllowed(URI.create("https://HOOKS.example.com./in"))).isEqualTo(addresses);
    }

    @Test
    void unknownNameThrowsUnknownHost() {
        UrlPolicy policy = withDns(Map.of());

        assertThatThrownBy(() -> policy.resolveAllowed(URI.create("https://nowhere.example.com/")))
                .isInstanceOf(UnknownHostException.class);
        UrlPolicy empty = withDns(Map.of("empty.example.com", List.of()));
        assertThatThrownBy(() -> empty.resolveAllowed(URI.create("https://empty.example.com/")))
                .isInstanceOf(UnknownHostException.class);
    }

    @Test
    void literalAddressesAreNotLookedUp() throws Exception {
        assertThat(STRICT.resolveAllowed(URI.create("https://93.184.216.34/")))
                .containsExactly(InetAddress.getByName("93.184.216.34"));
        assertThat(STRICT.resolveAllowed(URI.create("https://[2606:4700:4700::1111]/")))
                .containsExactly(InetAddress.getByName("2606:4700:4700::1111"));
        assertThat(PERMISSIVE.resolveAllowed(URI.create("http://127.0.0.1:8080/")))
                .containsExactly(InetAddress.getLoopbackAddress());
        assertBlockedOnResolve(STRICT, "https://169.254.169.254/");
    }

    @Test
    void permissivePolicyResolvesButBlocksNothing() throws Exception {
        InetAddress internal = v4("internal.example.com", 10, 0, 0, 5);
        UrlPolicy policy = UrlPolicy.builder().allowHttp(true).allowPrivateNetworks(true)
                .resolver(host -> List.of(internal)).build();

        assertThat(policy.resolveAllowed(URI.create("http://internal.example.com/"))).containsExactly(internal);
    }

    @Test
    void resolveAllowedChecksTheSyntaxAgain() {
        assertThatThrownBy(() -> STRICT.resolveAllowed(URI.create("http://example.com/")))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_URL));
        assertThatThrownBy(() -> STRICT.resolveAllowed(URI.create("https://u:p@example.com/")))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_URL));
        assertThatThrownBy(() -> STRICT.resolveAllowed(URI.create("https://localhost/")))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOCKED_URL));
    }

    // ---- isBlockedAddress ------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            // IPv4
            "0.0.0.0, true", "0.255.255.255, true", "10.0.0.0, true", "10.255.255.255, true", "9.255.255.255, false",
            "11.0.0.0, false", "100.63.255.255, false", "100.64.0.0, true", "100.127.255.255, true", "100.128.0.0, false",
            "127.0.0.1, true", "127.1.2.3, true", "126.255.255.255, false", "128.0.0.0, false",
            "169.254.0.0, true", "169.254.169.254, true", "169.255.0.0, false",
            "172.15.255.255, false", "172.16.0.0, true", "172.31.255.255, true", "172.32.0.0, false",
            "192.0.0.0, true", "192.0.0.255, true", "192.0.1.0, false", "192.0.2.1, true",
            "192.167.255.255, false", "192.168.0.0, true", "192.168.255.255, true", "192.169.0.0, false",
            "198.17.255.255, false", "198.18.0.0, true", "198.19.255.255, true", "198.20.0.0, false",
            "198.51.100.1, true", "203.0.113.1, true",
            "223.255.255.255, false", "224.0.0.0, true", "239.255.255.255, true", "240.0.0.0, true",
            "255.255.255.255, true", "8.8.8.8, false", "93.184.216.34, false", "1.1.1.1, false",
            // IPv6
            "::, true", "::1, true", "::2, true", "::ffff:127.0.0.1, true", "::ffff:8.8.8.8, false",
            "::127.0.0.1, true", "::8.8.8.8, false", "::ffff:0:10.0.0.1, true", "::ffff:0:8.8.8.8, false",
            "fe80::1, true", "febf:ffff::1, true", "fec0::1, true", "fc00::1, true", "fdff:ffff::1, true",
            "fd00:ec2::254, true", "fe00::1, false", "ff00::1, true", "ff02::1, true",
            "64:ff9b::a9fe:a9fe, true", "64:ff9b::808:808, false", "64:ff9b:1::1, true",
            "2002:c0a8:101::1, true", "2002:808:808::1, false", "2001:db8::1, true", "100::1, true", "100:0:0:1::1, false",
            "2606:4700:4700::1111, false", "2001:4860:4860::8888, false", "2a00:1450:4001:80b::200e, false",
    })
    void addressTable(String literal, boolean blocked) throws UnknownHostException {
        // Literals are parsed, never looked up.
        assertThat(UrlPolicy.isBlockedAddress(InetAddress.getByName(literal))).as(literal).isEqualTo(blocked);
    }

    @ParameterizedTest
    @CsvSource({"127, 0, 0, 1, true", "169, 254, 169, 254, true", "10, 1, 2, 3, true", "8, 8, 4, 4, false"})
    void ipv4MappedIpv6KeptAsIpv6IsJudgedByItsIpv4(int a, int b, int c, int d, boolean blocked) throws UnknownHostException {
        InetAddress mapped = Addresses.ipv4Mapped(a, b, c, d);

        assertThat(mapped).isInstanceOf(Inet6Address.class);
        assertThat(UrlPolicy.isBlockedAddress(mapped)).isEqualTo(blocked);
    }

    // ---- builder and defaults --------------------------------------------------------------------

    @Test
    void defaultsAreStrict() {
        assertThat(UrlPolicy.strict().allowsHttp()).isFalse();
        assertThat(UrlPolicy.strict().allowsPrivateNetworks()).isFalse();
        assertThat(UrlPolicy.builder().build().allowsHttp()).isFalse();
        assertThat(UrlPolicy.builder().build().allowsPrivateNetworks()).isFalse();
        assertThat(UrlPolicy.permissive().allowsHttp()).isTrue();
        assertThat(UrlPolicy.permissive().allowsPrivateNetworks()).isTrue();
        assertThat(UrlPolicy.strict()).hasToString("UrlPolicy[allowHttp=false, allowPrivateNetworks=false]");
    }

    @Test
    void nullArgumentsAreRefusedByName() {
        assertThatThrownBy(() -> UrlPolicy.builder().resolver(null))
                .isInstanceOf(NullPointerException.class).hasMessage("resolver");
        assertThatThrownBy(() -> STRICT.check(null)).isInstanceOf(NullPointerException.class).hasMessage("url");
        assertThatThrownBy(() -> STRICT.resolveAllowed(null)).isInstanceOf(NullPointerException.class).hasMessage("url");
        assertThatThrownBy(() -> UrlPolicy.isBlockedAddress(null))
                .isInstanceOf(NullPointerException.class).hasMessage("address");
    }

    @Test
    void builderIsReusableAndBuiltPoliciesDoNotChange() {
        UrlPolicy.Builder builder = UrlPolicy.builder();
        UrlPolicy first = builder.build();
        builder.allowHttp(true);

        assertThat(first.allowsHttp()).isFalse();
        assertThat(builder.build().allowsHttp()).isTrue();
    }

    // ---- allowDestination ------------------------------------------------------------------------

    @Test
    void anAllowedDestinationIsReachableWhileEverythingElseStaysBlocked() throws Exception {
        InetAddress loopback = v4("receiver.test", 127, 0, 0, 1);
        UrlPolicy policy = UrlPolicy.builder().allowHttp(true).allowDestination("Receiver.Test.", 9100)
                .resolver(zone(Map.of(
                        "receiver.test", List.of(loopback),
                        "private.test", List.of(v4("private.test", 10, 0, 0, 5)))))
                .build();

        assertThat(policy.check("http://receiver.test:9100/hook")).isEqualTo(URI.create("http://receiver.test:9100/hook"));
        assertThat(policy.resolveAllowed(URI.create("http://RECEIVER.test.:9100/hook"))).containsExactly(loopback);
        // The same name on another port, the address it resolves to, and every other private target stay blocked.
        assertBlockedOnResolve(policy, "http://receiver.test:9101/hook");
        assertBlockedOnResolve(policy, "http://receiver.test/hook");
        assertRefused(policy, "http://127.0.0.1:9100/hook", ErrorCode.BLOCKED_URL);
        assertRefused(policy, "http://localhost:9100/hook", ErrorCode.BLOCKED_URL);
        assertBlockedOnResolve(policy, "http://private.test:9100/hook");
        // Syntax rules still hold for the allowed destination.
        assertRefused(policy, "http://user@receiver.test:9100/hook", ErrorCode.INVALID_URL);
        assertRefused(policy, "http://receiver.test:9100/hook#frag", ErrorCode.INVALID_URL);
        assertRefused(UrlPolicy.builder().allowDestination("receiver.test", 9100).build(),
                "http://receiver.test:9100/hook", ErrorCode.INVALID_URL);
    }

    @Test
    void anAllowedAddressMatchesAsAnAddressAndTheSchemesDefaultPortCounts() throws Exception {
        UrlPolicy policy = UrlPolicy.builder().allowDestination("[0:0:0:0:0:0:0:1]", 443)
                .allowDestination("10.0.0.5", 8443).allowDestination("hooks.internal", 443)
                .resolver(zone(Map.of("hooks.internal", List.of(v4("hooks.internal", 10, 1, 1, 1))))).build();

        assertThat(policy.resolveAllowed(URI.create("https://[::1]/in"))).containsExactly(InetAddress.getByName("::1"));
        assertThat(policy.resolveAllowed(URI.create("https://[::1]:443/in"))).containsExactly(InetAddress.getByName("::1"));
        assertThat(policy.resolveAllowed(URI.create("https://10.0.0.5:8443/in")))
                .containsExactly(InetAddress.getByName("10.0.0.5"));
        assertThat(policy.resolveAllowed(URI.create("https://hooks.internal/in")))
                .containsExactly(InetAddress.getByName("10.1.1.1"));
        assertRefused(policy, "https://10.0.0.5/in", ErrorCode.BLOCKED_URL);
        assertRefused(policy, "https://10.0.0.6:8443/in", ErrorCode.BLOCKED_URL);
        assertRefused(policy, "https://[::1]:8443/in", ErrorCode.BLOCKED_URL);
        assertRefused(policy, "https://other.internal/in", ErrorCode.BLOCKED_URL);
        assertThat(policy.allowedDestinations()).containsExactly("[0:0:0:0:0:0:0:1]:443", "10.0.0.5:8443", "hooks.internal:443");
        assertThat(policy.toString()).contains("allowedDestinations=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "127.1", "0x7f000001", "2130706433", "a@b", "a/b", "a?b", "a#b", "a b", "host:80",
            "my_host", "[fe80::1%eth0]", "b\u00fccher.de"})
    void badDestinationHostsAreRefused(String host) {
        assertThatThrownBy(() -> UrlPolicy.builder().allowDestination(host, 80))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
    }

    @Test
    void badDestinationArgumentsAreRefused() {
        assertThatThrownBy(() -> UrlPolicy.builder().allowDestination(null, 80))
                .isInstanceOf(NullPointerException.class).hasMessage("host");
        assertThatThrownBy(() -> UrlPolicy.builder().allowDestination("receiver.test", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("port must be within [1, 65535], was 0");
        assertThatThrownBy(() -> UrlPolicy.builder().allowDestination("receiver.test", 65536))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536");
        assertThat(UrlPolicy.strict().allowedDestinations()).isEmpty();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static void assertRefused(UrlPolicy policy, String url, ErrorCode code) {
        assertThatThrownBy(() -> policy.check(url))
                .as("%s under %s", url, policy)
                .isInstanceOfSatisfying(HeraldException.class, e -> {
                    assertThat(e.code()).as("%s under %s", url, policy).isEqualTo(code);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    private static void assertBlockedOnResolve(UrlPolicy policy, String url) {
        assertThatThrownBy(() -> policy.resolveAllowed(URI.create(url)))
                .as(url)
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOCKED_URL));
    }

    private static UrlPolicy withDns(Map<String, List<InetAddress>> zone) {
        return UrlPolicy.builder().resolver(zone(zone)).build();
    }

    private static HostResolver zone(Map<String, List<InetAddress>> zone) {
        return host -> {
            List<InetAddress> addresses = zone.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            return addresses;
        };
    }

    private static InetAddress v4(String name, int a, int b, int c, int d) throws UnknownHostException {
        return InetAddress.getByAddress(name, new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }
}
