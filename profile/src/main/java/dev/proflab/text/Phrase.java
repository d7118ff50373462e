package dev.proflab.text;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A one-line message of a library that names some of its parameters, each marked as one, so that whoever shows it
 * to a person can name them in that person's terms. The library writes the message once; {@link #toString()} names
 * the parameters as the library does ({@code interval: 10ns is out of range (100us to 10s)}), and {@link #in} as its
 * caller does: the CLI its flags ({@code --interval: 10ns is out of range (100us to 10s)}), an HTTP layer its query
 * parameters.
 *
 * <pre>{@code
 * Phrase p = Phrase.of(Phrase.parameter("timeline"), " needs JDK Flight Recorder (", Phrase.parameter("engine"), " jfr)");
 * p.toString();                    // timeline needs JDK Flight Recorder (engine jfr)
 * p.in(name -> "--" + name);       // --timeline needs JDK Flight Recorder (--engine jfr)
 * }</pre>
 *
 * Only the parts marked as parameters are renamed: text from the input (a file name, a value) is never read as one.
 *
 * @param parts the text, in order: {@link String} pieces and {@link Parameter}s (phrases given are taken apart)
 */
public record Phrase(List<Object> parts) {

    /** A parameter named in a phrase, by the library's name for it. */
    public record Parameter(String name) {
        public Parameter {
            Objects.requireNonNull(name);
        }
    }

    /** What has a phrase for its message (an exception), for a caller that names the parameters its own way. */
    public interface Source {
        Phrase phrase();
    }

    public Phrase {
        List<Object> flat = new java.util.ArrayList<>();
        for (Object o : parts) {
            switch (o) {
                case String s -> flat.add(s);
                case Parameter p -> flat.add(p);
                case Phrase p -> flat.addAll(p.parts());
                default -> throw new IllegalArgumentException("a phrase is made of strings, parameters and phrases, not "
                        + o.getClass().getName());
            }
        }
        parts = List.copyOf(flat);
    }

    /** A parameter, to put in {@link #of}. */
    public static Parameter parameter(String name) {
        return new Parameter(name);
    }

    /** The phrase of these parts: strings (taken as they are), {@link #parameter parameters} and other phrases. */
    public static Phrase of(Object... parts) {
        return new Phrase(List.of(parts));
    }

    /** A phrase that names no parameter. */
    public static Phrase text(String text) {
        return new Phrase(List.of(text == null ? "" : text));
    }

    /** The parameters named, in order of first appearance. */
    public Set<String> parameters() {
        Set<String> s = new LinkedHashSet<>();
        for (Object o : parts) {
            if (o instanceof Parameter p) {
                s.add(p.name());
            }
        }
        return s;
    }

    /**
     * The message with each parameter named by {@code names} (given the library's name; null or the same name keeps
     * it).
     */
    public String in(UnaryOperator<String> names) {
        StringBuilder sb = new StringBuilder();
        for (Object o : parts) {
            if (o instanceof Parameter p) {
                String n = names.apply(p.name());
                sb.append(n == null ? p.name() : n);
            } else {
                sb.append((String) o);
            }
        }
        return sb.toString();
    }

    /** The message with the parameters named as the library names them. */
    @Override
    public String toString() {
        return in(UnaryOperator.identity());
    }
}
