package dev.proflab.profile;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The one vocabulary of kinds: the names on disk and on the wire must not change. */
class ProfileKindTest {

    @Test
    void idsEndpointsAndSpansAreGosNames() {
        assertThat(Arrays.stream(ProfileKind.values()).map(ProfileKind::id))
                .containsExactly("cpu", "heap", "allocs", "mutex", "block", "wall");
        assertThat(Arrays.stream(ProfileKind.values()).map(ProfileKind::path)).containsExactly("/debug/pprof/profile",
                "/debug/pprof/heap", "/debug/pprof/allocs", "/debug/pprof/mutex", "/debug/pprof/block",
                "/debug/pprof/wall");
        assertThat(Arrays.stream(ProfileKind.values()).filter(ProfileKind::isWindow))
                .containsExactly(ProfileKind.CPU, ProfileKind.WALL);
        assertThat(ProfileKind.ids()).isEqualTo("cpu, heap, allocs, mutex, block, wall");
    }

    @Test
    void wordsNameAKindByIdOrAlias() {
        for (ProfileKind k : ProfileKind.values()) {
            assertThat(ProfileKind.of(k.id())).isEqualTo(k);
            assertThat(ProfileKind.of(" " + k.id().toUpperCase() + " ")).isEqualTo(k);
        }
        assertThat(ProfileKind.of("profile")).isEqualTo(ProfileKind.CPU);
        assertThat(ProfileKind.of("cpu-time")).isEqualTo(ProfileKind.CPU);
        assertThat(ProfileKind.of("live")).isEqualTo(ProfileKind.HEAP);
        assertThat(ProfileKind.of("alloc")).isEqualTo(ProfileKind.ALLOCS);
        assertThat(ProfileKind.of("lock")).isEqualTo(ProfileKind.MUTEX);
        assertThat(ProfileKind.of("monitor")).isEqualTo(ProfileKind.MUTEX);
        assertThat(ProfileKind.of("park")).isEqualTo(ProfileKind.BLOCK);
        assertThat(ProfileKind.of("native")).isNull();
        assertThat(ProfileKind.of("itimer")).isNull();
        assertThat(ProfileKind.of(null)).isNull();
        assertThat(ProfileKind.CPU.aliases()).containsExactly("profile", "cpu-time");
        assertThat(ProfileKind.WALL.aliases()).isEmpty();
    }

    @Test
    void eventsAreTheReadersNames() {
        assertThat(ProfileKind.ofEvent("live")).isEqualTo(ProfileKind.HEAP);
        assertThat(ProfileKind.ofEvent("heap")).isEqualTo(ProfileKind.HEAP);   // Go's heap profile, read from pprof
        assertThat(ProfileKind.ofEvent("lock")).isEqualTo(ProfileKind.MUTEX);
        assertThat(ProfileKind.ofEvent("park")).isEqualTo(ProfileKind.BLOCK);
        assertThat(ProfileKind.ofEvent("native")).isNull();
        assertThat(ProfileKind.BLOCK.events()).containsExactly("lock", "park");
        for (ProfileKind k : ProfileKind.values()) {
            assertThat(k.readEvent()).isEqualTo(k.events().get(0));
            for (String e : k.events()) {
                assertThat(ProfileReader.EVENTS.contains(e) || e.equals("heap")).as(k + " reads " + e).isTrue();
            }
            assertThat(ProfileReader.EVENTS).contains(k.captureEvent());
        }
    }
}
