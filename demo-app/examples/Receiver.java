import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver for trying Herald on one machine, with nothing but a JDK:
 *
 * <pre>
 *   WEBHOOK_SECRET=whsec_... java demo-app/examples/Receiver.java [port]
 * </pre>
 *
 * It listens on 127.0.0.1 (port 9100 by default), prints every webhook with the result of checking its
 * Standard Webhooks signature against WEBHOOK_SECRET, and answers RECEIVER_STATUS (200 by default; try
 * 400 or 503 to watch failures and retries). The check is written out by hand to show what any receiver
 * does: HMAC-SHA256 over "id.timestamp.body" with the secret's key bytes, compared in constant time, and
 * a timestamp no more than 5 minutes away. Java receivers can use dev.herald.engine.signing.WebhookVerifier.
 */
public class Receiver {
    private static final long TOLERANCE_SECONDS = 300;

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9100;
        String secret = System.getenv("WEBHOOK_SECRET");
        int status = Integer.parseInt(System.getenv().getOrDefault("RECEIVER_STATUS", "200"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            if (!"POST".equals(exchange.getRequestMethod())) {
                // A liveness probe, not a webhook.
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            String verdict = secret == null || secret.isBlank() ? "not checked (set WEBHOOK_SECRET)"
                    : verify(secret, headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
                    headers.getFirst("webhook-signature"), body) ? "valid" : "INVALID";
            System.out.printf("[receiver] %s %s webhook-id=%s signature %s -> answering %d%n  %s%n",
                    headers.getFirst("x-webhook-event"), exchange.getRequestURI(), headers.getFirst("webhook-id"),
                    verdict, status, new String(body, StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        System.out.println("[receiver] listening on http://127.0.0.1:" + port + "/webhooks");
    }

    static boolean verify(String secret, String id, String timestamp, String signatures, byte[] body) {
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        try {
            long seconds = Long.parseLong(timestamp);
            if (Math.abs(Instant.now().getEpochSecond() - seconds) > TOLERANCE_SECONDS) {
                return false;
            }
            byte[] key = secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring(6))
                    : secret.getBytes(StandardCharsets.UTF_8);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            // During a secret rotation the header holds one signature per secret, space-separated.
            for (String candidate : signatures.split(" ")) {
                if (candidate.startsWith("v1,")
                        && MessageDigest.isEqual(expected, Base64.getDecoder().decode(candidate.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            return false;
        }
    }
}
