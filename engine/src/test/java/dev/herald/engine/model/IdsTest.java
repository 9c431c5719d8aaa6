package dev.herald.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void idsCarryTheirPrefixAndAreValid() {
        Ids ids = new Ids(Clock.systemUTC(), new Random(1));
        String id = ids.next(Ids.DELIVERY);
        assertThat(id).startsWith("dlv_").hasSize(30);
        assertThat(Ids.isValid(Ids.DELIVERY, id)).isTrue();
        assertThat(Ids.isValid(Ids.EVENT, id)).isFalse();
        assertThat(Ids.isValid(Ids.DELIVERY, "dlv_../../etc")).isFalse();
    }

    @Test
    void idsSortByCreationTime() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        String earlier = new Ids(Clock.fixed(t0, ZoneOffset.UTC), new Random(99)).next(Ids.EVENT);
        String later = new Ids(Clock.fixed(t0.plusMillis(1), ZoneOffset.UTC), new Random(1)).next(Ids.EVENT);
        assertThat(earlier).isLessThan(later);
    }

    @Test
    void idsAreUnique() {
        Ids ids = new Ids(Clock.systemUTC(), new Random());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(ids.next(Ids.EVENT))).isTrue();
        }
    }
}
