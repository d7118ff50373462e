package dev.proflab.text;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhraseTest {

    private static final Phrase TIMELINE = Phrase.of(Phrase.parameter("timeline"), " needs JDK Flight Recorder (",
            Phrase.parameter("engine"), " jfr)");

    @Test
    void neutralNamesAreTheLibrarysAndACallerNamesThemItsOwnWay() {
        assertThat(TIMELINE.toString()).isEqualTo("timeline needs JDK Flight Recorder (engine jfr)");
        assertThat(TIMELINE.in(n -> "--" + n)).isEqualTo("--timeline needs JDK Flight Recorder (--engine jfr)");
        assertThat(TIMELINE.parameters()).containsExactly("timeline", "engine");
    }

    @Test
    void aNameTheCallerDoesNotKnowStaysNeutral() {
        assertThat(TIMELINE.in(Map.of("timeline", "--timeline")::get))
                .isEqualTo("--timeline needs JDK Flight Recorder (engine jfr)");
    }

    @Test
    void onlyMarkedPartsAreRenamedNotTextThatLooksLikeAName() {
        Phrase p = Phrase.of(Phrase.parameter("config"), ": 'config' is not NAME=JVM-OPTIONS");
        assertThat(p.in(n -> "--" + n)).isEqualTo("--config: 'config' is not NAME=JVM-OPTIONS");
        assertThat(Phrase.text("{interval} interval").in(n -> "--" + n)).isEqualTo("{interval} interval");
        assertThat(Phrase.text("x").parameters()).isEmpty();
    }

    @Test
    void phrasesNestAsTheirParts() {
        Phrase p = Phrase.of("async-profiler cannot load here; and ", TIMELINE);
        assertThat(p.in(n -> "--" + n))
                .isEqualTo("async-profiler cannot load here; and --timeline needs JDK Flight Recorder (--engine jfr)");
        assertThat(p.parameters()).containsExactly("timeline", "engine");
        assertThatThrownBy(() -> Phrase.of(42)).isInstanceOf(IllegalArgumentException.class);
    }
}
