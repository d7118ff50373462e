package dev.proflab.viewer;

import dev.proflab.profile.Profile;
import dev.proflab.report.JsonReport;
import dev.proflab.report.Lines;
import dev.proflab.report.Peek;
import dev.proflab.report.Selection;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One function of the profile, the one selected on the page: its hot source lines ({@code proflab
 * list}) and its callers and callees ({@code proflab peek}), under the page's filters.
 *
 * <ul>
 *   <li>{@code GET /api/source?fn=NAME&event=&sampleIndex=&focus=&ignore=&hide=&thread=&from=&to=}:
 *       the rows of {@code proflab list --format json} for exactly that function: {@code [{"name",
 *       "file", "source", "flat", "cum", "lines": [{"line", "flat", "cum", "text"}]}]} ({@code source}
 *       and {@code text} are null when the file is not under the source roots);
 *   <li>{@code GET /api/peek?fn=NAME&...}: the rows of {@code proflab peek --format json}:
 *       {@code [{"name", "flat", "flat_percent", "cum", "cum_percent", "callers": [{"name", "value",
 *       "percent"}], "callees": [...]}]}.
 * </ul>
 */
final class FunctionApi {

    private final Function<Exchange, Profile> profiles;
    private volatile List<Path> sourceRoots;

    FunctionApi(Function<Exchange, Profile> profiles, List<Path> sourceRoots) {
        this.profiles = profiles;
        this.sourceRoots = List.copyOf(sourceRoots);
    }

    void sourceRoots(List<Path> roots) {
        this.sourceRoots = List.copyOf(roots);
    }

    List<Path> sourceRoots() {
        return sourceRoots;
    }

    void source(Exchange ctx) {
        Profile p = profiles.apply(ctx);
        Lines.Result r = Lines.compute(p, Params.selection(ctx), exactly(ctx), sourceRoots);
        ctx.contentType("application/json").result(JsonReport.list(r));
    }

    void peek(Exchange ctx) {
        Profile p = profiles.apply(ctx);
        Peek.Result r = Peek.compute(p, Params.selection(ctx), exactly(ctx), 0, false);
        ctx.contentType("application/json").result(JsonReport.peek(r));
    }

    /** The function named by {@code fn}, as a regular expression matching that name only. */
    private static String exactly(Exchange ctx) {
        String fn = Params.get(ctx, "fn");
        if (fn == null) {
            throw new BadRequest("fn: the function's name is missing (e.g. fn=dev.proflab.labs.fib.Fib.recursive)");
        }
        if (fn.length() > 4096) {
            throw new BadRequest("fn: a name of " + fn.length() + " characters is too long");
        }
        return "^" + Pattern.quote(fn) + "$";
    }
}
