package dev.herald.demo.auth;

import dev.herald.demo.config.HeraldProperties;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the demo tenant an API key when the server is up. With {@code herald.demo.api-key} set, that key is
 * stored (once) and not printed; otherwise the previous start-up key is revoked, a new one is made, and it
 * is printed to standard output (never to the log) with the tenant it belongs to.
 */
@Singleton
public class DemoKey implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger log = LoggerFactory.getLogger(DemoKey.class);
    private static final String LABEL = "startup";

    private final ApiKeys apiKeys;
    private final HeraldProperties properties;
    private final PrintStream out;

    public DemoKey(ApiKeys apiKeys, HeraldProperties properties) {
        this.apiKeys = apiKeys;
        this.properties = properties;
        this.out = System.out;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        String tenant = properties.getDemo().getTenant();
        String url = event.getSource().getURL().toString();
        String configured = properties.getDemo().getApiKey();
        if (configured != null && !configured.isBlank()) {
            apiKeys.ensure(tenant, configured.trim(), "configured");
            log.info("Herald demo is up on {}; use the API key from herald.demo.api-key (tenant '{}')", url, tenant);
            return;
        }
        apiKeys.revoke(tenant, LABEL);
        String key = apiKeys.issue(tenant, LABEL);
        out.println();
        out.println("  Herald demo is up on " + url);
        out.println("  API key for tenant '" + tenant + "' (valid until the next restart):");
        out.println();
        out.println("    export HERALD_KEY=" + key);
        out.println();
        out.flush();
    }
}
