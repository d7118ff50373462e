package dev.proflab.report;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A profile seen through a {@link Selection}: one value, the samples that pass the filters summed per
 * distinct stack, stacks without hidden frames, every frame mapped to its node (a function, or a
 * line with {@link Selection#lines()}). The common first step of every report.
 */
final class Filtered {

    final Profile profile;
    final Selection selection;
    final int valueIndex;
    final ValueType type;
    /** Sum over the samples in the time range, before focus/ignore/thread: pprof's "total". */
    final long total;
    /** Distinct stacks (frame ids, leaf first, hidden frames removed) and their weights. */
    final int[][] stacks;
    final long[] weights;
    /** Node of each frame id, and node names. */
    final int[] nodeOfFrame;
    final String[] nodeNames;
    final Header header;

    private Filtered(Profile profile, Selection selection, int valueIndex, long total, long samples,
                     int[][] stacks, long[] weights, int[] nodeOfFrame, String[] nodeNames) {
        this.profile = profile;
        this.selection = selection;
        this.valueIndex = valueIndex;
        this.type = profile.valueTypes().get(valueIndex);
        this.total = total;
        this.stacks = stacks;
        this.weights = weights;
        this.nodeOfFrame = nodeOfFrame;
        this.nodeNames = nodeNames;
        this.header = Header.of(profile, type, total, samples, selection);
    }

    int nodeCount() {
        return nodeNames.length;
    }

    /** A frame's node name under a selection: {@code pkg.Class.method}, maybe with parameters or a line. */
    static String nodeName(Frame f, Selection s) {
        String n = f.name();
        if (s.signatures()) {
            n += f.parameters();
        }
        if (s.lines() && f.line() > 0) {
            String file = f.sourceFile();
            file = file.substring(file.lastIndexOf('/') + 1);
            n += " " + file + ":" + f.line();
        }
        return n;
    }

    /** A frame's function name (for list): {@code pkg.Class.method}, with parameters under signatures. */
    static String functionName(Frame f, Selection s) {
        return s.signatures() ? f.name() + f.parameters() : f.name();
    }

    static int valueIndex(Profile p, Selection s) {
        if (s.sampleIndex() == null || s.sampleIndex().isBlank()) {
            return p.defaultValueIndex();
        }
        int i = ValueType.indexOf(p.valueTypes(), s.sampleIndex());
        if (i < 0) {
            throw new ReportException("--sample-index '" + s.sampleIndex() + "' does not fit event "
                    + p.meta().event() + ": it has " + String.join(", ",
                    p.valueTypes().stream().map(ValueType::type).toList()));
        }
        return i;
    }

    static Filtered of(Profile p, Selection s) {
        int v = valueIndex(p, s);
        String where = p.meta().source().isEmpty() ? "" : Header.of(p, p.valueTypes().get(v), 0, -1, s).file() + ": ";

        // nodes
        int frames = p.frameCount();
        int[] nodeOfFrame = new int[frames];
        Map<String, Integer> ids = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            String name = nodeName(p.frame(f), s);
            Integer id = ids.get(name);
            if (id == null) {
                id = names.size();
                names.add(name);
                ids.put(name, id);
            }
            nodeOfFrame[f] = id;
        }
        String[] nodeNames = names.toArray(new String[0]);
        boolean[] focus = match(nodeNames, s.focus(), where);
        boolean[] ignore = match(nodeNames, s.ignore(), where);
        boolean[] hide = match(nodeNames, s.hide(), where);
        boolean[] threadOk = new boolean[p.threadCount()];
        if (s.thread() == null) {
            Arrays.fill(threadOk, true);
        } else {
            boolean any = false;
            Map<String, Boolean> byName = new HashMap<>();   // pools repeat names
            for (int t = 0; t < threadOk.length; t++) {
                threadOk[t] = byName.computeIfAbsent(p.threadName(t), s.thread()::find);
                any |= threadOk[t];
            }
            if (!any) {
                List<String> some = new ArrayList<>();
                for (int t = 0; t < Math.min(5, p.threadCount()); t++) {
                    some.add(p.threadName(t));
                }
                throw new ReportException(where + s.thread().option() + " '" + s.thread().pattern() + "' matches no thread"
                        + (some.isEmpty() ? "" : " (threads: " + String.join(", ", some)
                        + (p.threadCount() > 5 ? ", ..." : "") + ")"));
            }
        }

        // weights per stack; 0 = not decided, 1 = keep, 2 = drop
        int countIndex = countIndex(p);
        long samples = countIndex < 0 ? -1 : 0;
        byte[] state = new byte[p.stackCount()];
        boolean filtering = s.focus() != null || s.ignore() != null;
        long[] byStack = new long[p.stackCount()];
        long total = 0;
        for (int i = 0, n = p.sampleCount(); i < n; i++) {
            long t = p.timeOf(i);
            if (t < s.fromNanos() || t >= s.toNanos()) {
                continue;
            }
            long value = p.value(i, v);
            total += value;
            if (countIndex >= 0) {
                samples += p.value(i, countIndex);
            }
            if (!threadOk[p.threadOf(i)]) {
                continue;
            }
            int st = p.stackOf(i);
            if (state[st] == 0) {
                state[st] = !filtering || keep(p.stack(st), nodeOfFrame, s.focus() == null ? null : focus,
                        s.ignore() == null ? null : ignore) ? (byte) 1 : (byte) 2;
            }
            if (state[st] == 1) {
                byStack[st] += value;
            }
        }
        List<int[]> stacks = new ArrayList<>();
        long[] weights = new long[16];
        for (int st = 0; st < byStack.length; st++) {
            if (byStack[st] == 0) {
                continue;
            }
            int[] frameIds = p.stack(st);
            if (s.hide() != null) {
                frameIds = Arrays.stream(frameIds).filter(f -> !hide[nodeOfFrame[f]]).toArray();
            }
            if (stacks.size() == weights.length) {
                weights = Arrays.copyOf(weights, weights.length * 2);
            }
            weights[stacks.size()] = byStack[st];
            stacks.add(frameIds);
        }
        return new Filtered(p, s, v, total, samples, stacks.toArray(new int[0][]),
                Arrays.copyOf(weights, stacks.size()), nodeOfFrame, nodeNames);
    }

    /** The exact count of samples the profile has ({@code samples}, {@code contentions}), or -1. */
    private static int countIndex(Profile p) {
        List<ValueType> types = p.valueTypes();
        for (int i = 0; i < types.size(); i++) {
            String t = types.get(i).type();
            if (t.equals("samples") || t.equals("contentions")) {
                return i;
            }
        }
        return -1;
    }

    private static boolean keep(int[] stack, int[] nodeOfFrame, boolean[] focus, boolean[] ignore) {
        boolean focused = focus == null;
        for (int f : stack) {
            int n = nodeOfFrame[f];
            if (ignore != null && ignore[n]) {
                return false;
            }
            if (focus != null && focus[n]) {
                focused = true;
            }
        }
        return focused;
    }

    private static boolean[] match(String[] names, Regex p, String where) {
        boolean[] m = new boolean[names.length];
        if (p == null) {
            return m;
        }
        boolean any = false;
        for (int i = 0; i < names.length; i++) {
            m[i] = p.find(names[i]);
            any |= m[i];
        }
        if (!any) {
            throw new ReportException(where + p.option() + " '" + p.pattern() + "' matches no function in this profile");
        }
        return m;
    }

    /** Nodes whose names match a report's own regex (list, peek); none is a {@link ReportException}. */
    boolean[] nodesMatching(Regex regex) {
        boolean[] present = new boolean[nodeNames.length];
        for (int[] st : stacks) {
            for (int f : st) {
                present[nodeOfFrame[f]] = true;
            }
        }
        boolean[] m = new boolean[nodeNames.length];
        boolean any = false;
        for (int i = 0; i < nodeNames.length; i++) {
            m[i] = present[i] && regex.find(nodeNames[i]);
            any |= m[i];
        }
        if (!any) {
            throw new ReportException(header.file() + (header.file().isEmpty() ? "" : ": ") + regex.option() + " '"
                    + regex.pattern() + "' matches no function with samples"
                    + (selection.activeFilters().isEmpty() ? "" : " under the filters"));
        }
        return m;
    }
}
