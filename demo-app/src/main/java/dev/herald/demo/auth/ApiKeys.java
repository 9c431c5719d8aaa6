package dev.herald.demo.auth;

import io.micronaut.context.annotation.Context;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.annotation.PostConstruct;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Issues API keys and tells which tenant a presented key belongs to. Keys are {@code hk_} followed by 43
 * base64url characters (32 random bytes); the table keeps their SHA-256 only, so a leaked database gives
 * away no key. Thread-safe.
 */
@Context
public class ApiKeys {
    /** Prefix of every key, so one is recognisable in a config file or a leak scanner. */
    public static final String PREFIX = "hk_";

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS api_key (
                id VARCHAR(40) PRIMARY KEY,
                tenant VARCHAR(128) NOT NULL,
                key_hash CHAR(64) NOT NULL UNIQUE,
                label VARCHAR(100) NOT NULL,
                created_at TIMESTAMP WITH TIME ZONE NOT NULL
            )""";

    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");

    private final ApiKeyRepository repository;
    private final DataSource dataSource;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ApiKeys(ApiKeyRepository repository, DataSource dataSource, Clock clock) {
        this.repository = repository;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Creates the table when it is missing. */
    @PostConstruct
    void createSchema() throws SQLException {
        try (Connection c = DelegatingDataSource.unwrapDataSource(dataSource).getConnection();
             Statement s = c.createStatement()) {
            s.execute(SCHEMA);
        }
    }

    /** The tenant of {@code presentedKey}, or empty when the key is unknown or malformed. */
    public Optional<String> tenantOf(String presentedKey) {
        if (presentedKey == null || !presentedKey.startsWith(PREFIX) || presentedKey.length() > 200) {
            return Optional.empty();
        }
        return repository.findByKeyHash(hash(presentedKey)).map(ApiKey::tenant);
    }

    /**
     * Makes a new key for {@code tenant} and returns it; this is the only time the key is seen.
     *
     * @param label what the key is for, up to 100 characters
     * @throws IllegalArgumentException when the tenant name is not one the engine accepts
     */
    @Transactional
    public String issue(String tenant, String label) {
        checkTenant(tenant);
        String key = PREFIX + generate();
        store(tenant, key, label);
        return key;
    }

    /** Stores {@code key} for {@code tenant} unless it is stored already. */
    @Transactional
    public void ensure(String tenant, String key, String label) {
        Objects.requireNonNull(key, "key");
        checkTenant(tenant);
        Optional<ApiKey> existing = repository.findByKeyHash(hash(key));
        if (existing.isPresent() && !existing.get().tenant().equals(tenant)) {
            throw new IllegalStateException("the configured API key already belongs to another tenant");
        }
        if (existing.isEmpty()) {
            store(tenant, key, label);
        }
    }

    /** Deletes the tenant's keys with this label; returns how many. */
    @Transactional
    public int revoke(String tenant, String label) {
        var keys = repository.findByTenantAndLabel(tenant, label);
        repository.deleteAll(keys);
        return keys.size();
    }

    /** The engine's rule for tenant names, checked here so no key can name a tenant every call would refuse. */
    private static void checkTenant(String tenant) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant must be 1 to 128 letters, digits or _.:- and start with a letter or digit");
        }
    }

    private void store(String tenant, String key, String label) {
        repository.save(new ApiKey("key_" + UUID.randomUUID().toString().replace("-", ""), tenant, hash(key), label,
                clock.instant()));
    }

    private String generate() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Hex SHA-256 of the key's UTF-8 bytes. */
    static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
