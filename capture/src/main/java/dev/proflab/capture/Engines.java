package dev.proflab.capture;

import dev.proflab.text.Phrase;

/** Chooses the engine: async-profiler when it loads here, else JDK Flight Recorder, with a notice saying why. */
public final class Engines {

    /**
     * The engine to use and what to tell the user about the choice.
     *
     * @param engine  the engine that will record
     * @param library async-profiler's library (status), also when another engine was chosen
     * @param notice  one line explaining a fallback, or null
     */
    public record Choice(Engine engine, AsyncProfilerLibrary.Status library, String notice) {

        /** The engine's version: async-profiler's, or null for JFR (the target JDK's). */
        public String version() {
            return engine == Engine.ASYNC_PROFILER ? library.version() : null;
        }
    }

    private Engines() {
    }

    /**
     * @param requested    the engine asked for, or null for automatic
     * @param settings     the events asked for
     * @param targetJdk    the feature version of the JDK that runs the target (25), or 0 when unknown
     * @throws CaptureException when no engine can record the events here
     */
    public static Choice choose(Engine requested, CaptureSettings settings, int targetJdk) {
        if (requested == Engine.JFR || requested == Engine.JFR_CPU_TIME) {
            settings.check(requested);
            if (requested == Engine.JFR_CPU_TIME && targetJdk > 0 && targetJdk < 25) {
                throw new CaptureException(Phrase.of("engine jfr-cpu-time needs JDK 25 or newer (JEP 509); the target"
                        + " runs JDK " + targetJdk + ": use ", Phrase.parameter("engine"), " jfr or async"));
            }
            return new Choice(requested, null, null);
        }
        settings.check(Engine.ASYNC_PROFILER);
        AsyncProfilerLibrary.Status lib = AsyncProfilerLibrary.probe();
        if (lib.usable()) {
            return new Choice(Engine.ASYNC_PROFILER, lib, null);
        }
        String why = "async-profiler cannot load here: " + lib.problem();
        if (requested == Engine.ASYNC_PROFILER) {
            throw new CaptureException(Phrase.of(why + " (try ", Phrase.parameter("engine"), " jfr)"));
        }
        try {
            settings.check(Engine.JFR);
        } catch (CaptureException e) {
            throw new CaptureException(Phrase.of(why + "; and ", e.phrase()));
        }
        return new Choice(Engine.JFR, lib, why + "; using JDK Flight Recorder");
    }
}
