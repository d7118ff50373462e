package dev.proflab.report;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names of a profile's frames under one naming ({@code pkg.Class.method}, with parameters, with a
 * line): built once per profile and naming ({@link ProfileCache}), immutable. Frames of one method at
 * different lines, or once interpreted and once compiled, share a name.
 */
final class Names {

    /** How frames are named: {@code pkg.Class.method}, with parameters, with a line. */
    record Naming(boolean signatures, boolean lines) {

        // written out: a record's own equals and hashCode are linked by an invokedynamic bootstrap (see Frame)
        @Override
        public boolean equals(Object o) {
            return o instanceof Naming n && signatures == n.signatures && lines == n.lines;
        }

        @Override
        public int hashCode() {
            return (signatures ? 2 : 0) + (lines ? 1 : 0);
        }

        static Naming of(Selection s) {
            return new Naming(s.signatures(), s.lines());
        }

        /** A frame's node name: {@code pkg.Class.method}, maybe with parameters or a line. */
        String name(Frame f) {
            String n = f.name();
            if (signatures) {
                n += f.parameters();
            }
            if (lines && f.line() > 0) {
                String file = f.sourceFile();
                file = file.substring(file.lastIndexOf('/') + 1);
                n += " " + file + ":" + f.line();
            }
            return n;
        }

        /** A frame's function (for {@code list}): {@code pkg.Class.method}, with parameters under signatures. */
        String function(Frame f) {
            return signatures ? f.name() + f.parameters() : f.name();
        }
    }

    final Naming naming;
    /** Distinct names, the class of the first frame of each, and each frame's name. */
    final String[] names;
    final String[] types;
    final int[] nameOfFrame;
    private final Map<String, Integer> ids;

    /** The names of {@code p} under {@code naming}, from the shared cache. */
    static Names of(Profile p, Naming naming) {
        return ProfileCache.shared().get(p, naming, () -> new Names(p, naming), Names::bytes);
    }

    private Names(Profile p, Naming naming) {
        this.naming = naming;
        int frames = p.frameCount();
        int[] nameOfFrame = new int[frames];
        Map<String, Integer> idMap = new HashMap<>();
        List<String> nm = new ArrayList<>();
        List<String> ty = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            Frame fr = p.frame(f);
            String n = naming.name(fr);
            Integer id = idMap.get(n);
            if (id == null) {
                id = nm.size();
                idMap.put(n, id);
                nm.add(n);
                ty.add(fr.type());
            }
            nameOfFrame[f] = id;
        }
        this.names = nm.toArray(new String[0]);
        this.types = ty.toArray(new String[0]);
        this.ids = idMap;
        this.nameOfFrame = nameOfFrame;
    }

    /** An estimate of the bytes held, for the cache. */
    long bytes() {
        return 120L * names.length + 4L * nameOfFrame.length;
    }

    int count() {
        return names.length;
    }

    /** The id of a name, or -1. */
    int id(String n) {
        Integer id = ids.get(n);
        return id == null ? -1 : id;
    }

    /** Each name's id in {@code other}, -1 where it has none. */
    int[] idsIn(Names other) {
        int[] m = new int[names.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = other.id(names[i]);
        }
        return m;
    }

    /** Which names {@code re} finds (none when it is null). */
    boolean[] match(Regex re) {
        boolean[] m = new boolean[names.length];
        if (re != null) {
            for (int i = 0; i < m.length; i++) {
                m[i] = re.find(names[i]);
            }
        }
        return m;
    }
}
