package io.sluice.mysql.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.mysql.schema.ForeignKeyCascades.Key;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which tables a parent's delete or update reaches through foreign keys' actions, transitively. */
class ForeignKeyCascadesTest {
    private final ForeignKeyCascades keys = new ForeignKeyCascades(List.of(
            new Key("s.par", "s.ch", List.of("id"), true, true, true), // ON DELETE CASCADE ON UPDATE CASCADE
            new Key("s.ch", "s.gch", List.of("id"), true, false, false), // ON DELETE SET NULL
            new Key("s.gch", "s.ggch", List.of("v"), false, false, true), // ON UPDATE CASCADE
            new Key("s.par", "s.upd", List.of("code"), false, false, true), // ON UPDATE CASCADE only
            new Key("s.loop", "s.loop", List.of("id"), true, true, false))); // self-reference

    @Test
    void aDeleteReachesChildrenAndWhatTheirChangesReach() {
        assertThat(keys.changedByDelete("S.PAR")).containsExactly("s.ch", "s.gch", "s.ggch");
        assertThat(keys.changedByDelete("s.gch")).isEmpty();
        assertThat(keys.changedByDelete("s.loop")).containsExactly("s.loop");
        assertThat(keys.none("s.other")).isTrue();
        assertThat(keys.none("s.par")).isFalse();
    }

    @Test
    void anUpdateReachesOnlyThroughTheReferencedColumnsItChanged() {
        assertThat(keys.referencedOnUpdate("s.par")).containsExactly("code", "id");
        assertThat(keys.changedByUpdate("s.par", c -> c.equals("note"))).isEmpty();
        assertThat(keys.changedByUpdate("s.par", c -> c.equals("code"))).containsExactly("s.upd");
        assertThat(keys.changedByUpdate("s.par", c -> c.equals("id"))).containsExactly("s.ch");
        assertThat(keys.changedByUpdate("s.gch", c -> true)).containsExactly("s.ggch");
    }
}
