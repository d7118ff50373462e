package dev.proflab.capture;

import dev.proflab.profile.ProfileKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of profile is recorded with an event of the capture, and each event is of a kind. */
class EventTest {

    @Test
    void kindsAndEventsMapBothWays() {
        assertThat(Event.of(ProfileKind.CPU)).isEqualTo(Event.CPU);
        assertThat(Event.of(ProfileKind.HEAP)).isEqualTo(Event.LIVE);
        assertThat(Event.of(ProfileKind.ALLOCS)).isEqualTo(Event.ALLOC);
        assertThat(Event.of(ProfileKind.MUTEX)).isEqualTo(Event.LOCK);
        assertThat(Event.of(ProfileKind.BLOCK)).isEqualTo(Event.LOCK);
        assertThat(Event.of(ProfileKind.WALL)).isEqualTo(Event.WALL);
        assertThat(Event.ITIMER.kind()).isEqualTo(ProfileKind.CPU);
        assertThat(Event.LOCK.kind()).isEqualTo(ProfileKind.MUTEX);
        for (Event e : Event.values()) {
            assertThat(Event.of(e.kind())).isIn(e, Event.CPU);
        }
    }
}
