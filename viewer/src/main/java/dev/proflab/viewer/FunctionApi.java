package dev.proflab.viewer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.export.SampleIndex;
import dev.proflab.profile.Profile;
import dev.proflab.report.JsonReport;
import dev.proflab.report.Lines;
import dev.proflab.report.Peek;
import dev.proflab.report.Sandwich;
import dev.proflab.report.Selection;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
 *       "percent"}], "callees": [...]}]};
 *   <li>{@code GET /api/sandwich?fn=NAME&...&minFraction=}: the function's {@link Sandwich}, its callers and its
 *       callees as two flame graphs rooted at it: {@code {"function", "event", "value_type", "unit", "total",
 *       "nodes", "callers": {"name", "self", "total", "kind", "category", "color", "children": [...]},
 *       "callees": {...}}} (nodes as {@code /api/flame}'s; those under {@code minFraction} of the function's
 *       total left out); 404 when no selected sample has the function on its stack.
 * </ul>
 *
 * <p>{@code fn} is a function's name exactly as the other views show it. In a comparison ({@code --base}, or a
 * folder's {@code base=}) these answer for the current profile, as the page's tabs show it; the sandwich of the
 * comparison is {@code /api/diff/sandwich} ({@link DiffApi}).
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

    void sandwich(Exchange ctx) {
        Profile p = profiles.apply(ctx);
        String fn = name(ctx);
        double minFraction = Params.minFraction(ctx, ViewerServer.MIN_FRACTION);
        Selection s = Params.selection(ctx);
        int vi = SampleIndex.resolve(p, Params.get(ctx, "sampleIndex"));
        Optional<Sandwich.Result> r = Sandwich.compute(p, s.withSampleIndex(String.valueOf(vi)), fn, minFraction);
        ObjectNode o;
        if (r.isEmpty()) {
            o = Json.MAPPER.createObjectNode();
            o.put("error", "fn: no " + (s.activeFilters().isEmpty() ? "" : "selected ") + "sample has "
                    + Params.shorten(fn) + " on its stack" + (s.activeFilters().isEmpty() ? "" : " under the filters"));
            ctx.status(404);
        } else {
            o = FlameJson.sandwich(r.get());
        }
        try {
            ctx.contentType("application/json").result(Json.MAPPER.writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The function named by {@code fn}, as a regular expression matching that name only. */
    private static String exactly(Exchange ctx) {
        return "^" + Pattern.quote(name(ctx)) + "$";
    }

    /** The function named by {@code fn}. */
    static String name(Exchange ctx) {
        String fn = Params.get(ctx, "fn");
        if (fn == null) {
            throw new BadRequest("fn: the function's name is missing (e.g. fn=dev.proflab.labs.fib.Fib.recursive)");
        }
        if (fn.length() > 4096) {
            throw new BadRequest("fn: a name of " + fn.length() + " characters is too long");
        }
        return fn;
    }
}
