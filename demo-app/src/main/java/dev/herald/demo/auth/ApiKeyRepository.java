package dev.herald.demo.auth;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

/** The {@code api_key} table. */
@JdbcRepository(dialect = Dialect.H2)
public interface ApiKeyRepository extends CrudRepository<ApiKey, String> {

    /** The key whose hash this is. */
    Optional<ApiKey> findByKeyHash(String keyHash);

    /** The tenant's keys with this label. */
    List<ApiKey> findByTenantAndLabel(String tenant, String label);
}
