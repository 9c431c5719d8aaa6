package dev.herald.demo.bench;

import dev.herald.demo.bench.TransportBenchmark.Client;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.io.CloseMode;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.Request;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

/**
 * The HTTP clients {@link TransportBenchmark} compares, each in its usual asynchronous style, with the
 * connection limit set to the number in flight, redirects off, and otherwise its defaults.
 */
final class BenchClients {
    private BenchClients() {
    }

    static Client create(String name, int inFlight) throws Exception {
        return switch (name) {
            case "netty-1" -> TransportBenchmark.nettyTransport(inFlight, 1);
            case "netty-2" -> TransportBenchmark.nettyTransport(inFlight, 2);
            case "netty-4" -> TransportBenchmark.nettyTransport(inFlight, 4);
            case "jdk" -> TransportBenchmark.jdkTransport();
            case "jdk-raw" -> jdkRaw();
            case "apache" -> apache(inFlight);
            case "jetty" -> jetty(inFlight);
            case "reactor" -> reactor(inFlight);
            case "vertx" -> vertx(inFlight);
            // No network at all: what building and signing the requests costs the load generator.
            case "none" -> (url, headers, body, done) -> done.accept(1);
            default -> throw new IllegalArgumentException("unknown client " + name);
        };
    }

    private static Client jdkRaw() {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
        return (url, headers, body, done) -> {
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(30))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", "application/json");
            headers.forEach(request::header);
            client.sendAsync(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> done.accept(r != null && r.statusCode() / 100 == 2 ? 1 : 0));
        };
    }

    private static Client apache(int inFlight) {
        CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(inFlight).setMaxConnPerRoute(inFlight).build())
                .disableRedirectHandling()
                .build();
        client.start();
        return new Client() {
            @Override
            public void send(URI url, Map<String, String> headers, byte[] body, IntConsumer done) {
                SimpleRequestBuilder builder = SimpleRequestBuilder.post(url).setBody(body, ContentType.APPLICATION_JSON);
                headers.forEach(builder::addHeader);
                SimpleHttpRequest request = builder.build();
                client.execute(request, new FutureCallback<SimpleHttpResponse>() {
                    @Override
                    public void completed(SimpleHttpResponse response) {
                        done.accept(response.getCode() / 100 == 2 ? 1 : 0);
                    }

                    @Override
                    public void failed(Exception ex) {
                        done.accept(0);
                    }

                    @Override
                    public void cancelled() {
                        done.accept(0);
                    }
                });
            }

            @Override
            public void close() {
                client.close(CloseMode.IMMEDIATE);
            }
        };
    }

    private static Client jetty(int inFlight) throws Exception {
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient();
        client.setMaxConnectionsPerDestination(inFlight);
        client.setFollowRedirects(false);
        client.start();
        return new Client() {
            @Override
            public void send(URI url, Map<String, String> headers, byte[] body, IntConsumer done) {
                Request request = client.POST(url).timeout(30, TimeUnit.SECONDS)
                        .body(new BytesRequestContent("application/json", body));
                request.headers(h -> headers.forEach(h::put));
                request.send(result -> done.accept(result.isSucceeded()
                        && result.getResponse().getStatus() / 100 == 2 ? 1 : 0));
            }

            @Override
            public void close() throws Exception {
                client.stop();
            }
        };
    }

    private static Client reactor(int inFlight) {
        ConnectionProvider connections = ConnectionProvider.builder("bench").maxConnections(inFlight)
                .pendingAcquireMaxCount(-1).build();
        reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create(connections)
                .followRedirect(false);
        return new Client() {
            @Override
            public void send(URI url, Map<String, String> headers, byte[] body, IntConsumer done) {
                client.request(HttpMethod.POST).uri(url)
                        .send((request, out) -> {
                            request.header("Content-Type", "application/json");
                            headers.forEach(request::header);
                            return out.send(Mono.just(Unpooled.wrappedBuffer(body)));
                        })
                        .responseSingle((response, content) -> content.then(Mono.just(response.status().code())))
                        .subscribe(status -> done.accept(status / 100 == 2 ? 1 : 0), error -> done.accept(0));
            }

            @Override
            public void close() {
                connections.dispose();
            }
        };
    }

    private static Client vertx(int inFlight) {
        Vertx vertx = Vertx.vertx();
        WebClient client = WebClient.create(vertx, new WebClientOptions().setMaxPoolSize(inFlight).setKeepAlive(true)
                .setFollowRedirects(false));
        return new Client() {
            @Override
            public void send(URI url, Map<String, String> headers, byte[] body, IntConsumer done) {
                HttpRequest<Buffer> request = client.postAbs(url.toString()).putHeader("Content-Type", "application/json");
                headers.forEach(request::putHeader);
                request.sendBuffer(Buffer.buffer(body)).onComplete(result -> done.accept(
                        result.succeeded() && result.result().statusCode() / 100 == 2 ? 1 : 0));
            }

            @Override
            public void close() {
                client.close();
                vertx.close();
            }
        };
    }
}
