package dev.proflab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Range;
import picocli.CommandLine.Spec;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes {@code CommandSpecs.java}: the commands' picocli models as code of picocli's programmatic API, from their
 * annotations. Reading the annotations at run time (JDK annotation parsing, a proxy class per annotation type,
 * picocli's reflection) was most of a short command's start-up; the annotations stay the one place where options
 * are declared, and {@link CommandSpecsTest} fails when the written file is not what they say ({@code make specs}
 * writes it again).
 *
 * <p>Attribute values are those of the annotations; what picocli infers from a field's type (type, auxiliary types,
 * arity, label) is taken from the model picocli builds from the same annotations, so that both models agree.
 * An attribute this generator does not know stops it with its name.
 */
final class CommandSpecsSource {

    /** The fields with a binding, by index. */
    private final List<Field> bound = new ArrayList<>();
    /** The name of the builder method of each command or mixin class already written. */
    private final Map<Class<?>, String> written = new LinkedHashMap<>();
    /** The builder methods' source, in the order they were written. */
    private final List<String> methods = new ArrayList<>();

    private CommandSpecsSource() {
    }

    /** The source of {@code CommandSpecs.java} for the commands of {@link Main#COMMANDS} (picocli's own left out). */
    static String generate() {
        CommandSpecsSource g = new CommandSpecsSource();
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        for (Map.Entry<String, Class<?>> c : Main.COMMANDS) {
            if (c.getValue().getPackageName().equals(Main.class.getPackageName())) {
                g.spec(c.getValue());
                commands.put(c.getKey(), c.getValue());
            }
        }
        return g.file(g.spec(Main.class), commands);
    }

    private String file(String mainMethod, Map<String, Class<?>> commands) {
        StringBuilder s = new StringBuilder();
        s.append("// Written by CommandSpecsSource (make specs) from the commands' picocli annotations: do not edit.\n");
        s.append("package dev.proflab.cli;\n\n");
        s.append("import picocli.CommandLine.Model.CommandSpec;\n");
        s.append("import picocli.CommandLine.Model.IGetter;\n");
        s.append("import picocli.CommandLine.Model.ISetter;\n");
        s.append("import picocli.CommandLine.Model.OptionSpec;\n");
        s.append("import picocli.CommandLine.Model.PositionalParamSpec;\n");
        s.append("import picocli.CommandLine.Range;\n\n");
        s.append("/**\n");
        s.append(" * The commands' picocli models, built with picocli's programmatic API instead of from their annotations at\n");
        s.append(" * run time (which was most of a short command's start-up): the annotations stay where options are declared.\n");
        s.append(" * {@code CommandSpecsTest} checks that both models agree.\n");
        s.append(" */\n");
        s.append("@SuppressWarnings({\"unchecked\", \"rawtypes\"})\n");
        s.append("final class CommandSpecs {\n\n");
        s.append("    private CommandSpecs() {\n    }\n\n");
        s.append("    /** The top command's model, bound to {@code o}. */\n");
        s.append("    static CommandSpec main(Main o) {\n        return ").append(mainMethod).append("(o);\n    }\n\n");
        s.append("    /** The model of the subcommand NAME, bound to a new instance of its class; null for picocli's own. */\n");
        s.append("    static CommandSpec of(String name) {\n        return switch (name) {\n");
        for (Map.Entry<String, Class<?>> c : commands.entrySet()) {
            s.append("            case ").append(lit(c.getKey())).append(" -> ").append(written.get(c.getValue()))
                    .append("(new ").append(c.getValue().getSimpleName()).append("());\n");
        }
        s.append("            default -> null;\n        };\n    }\n");
        for (String m : methods) {
            s.append('\n').append(m);
        }
        s.append("\n    private static CommandSpec standardHelp() {\n");
        s.append("        CommandSpec s = CommandSpec.create();\n");
        s.append("        s.addOption(OptionSpec.builder(\"-h\", \"--help\").usageHelp(true)"
                + ".descriptionKey(\"mixinStandardHelpOptions.help\")\n"
                + "                .paramLabel(\"<helpRequested>\")"
                + "                .description(\"Show this help message and exit.\").type(boolean.class)"
                + ".arity(Range.valueOf(\"0\").unspecified(true)).initialValue(false).build());\n");
        s.append("        s.addOption(OptionSpec.builder(\"-V\", \"--version\").versionHelp(true)"
                + ".descriptionKey(\"mixinStandardHelpOptions.version\")\n"
                + "                .paramLabel(\"<versionRequested>\")"
                + "                .description(\"Print version information and exit.\").type(boolean.class)"
                + ".arity(Range.valueOf(\"0\").unspecified(true)).initialValue(false).build());\n");
        s.append("        return s;\n    }\n");
        s.append(binding());
        s.append("}\n");
        return s.toString();
    }

    /** Writes the builder method of a command or mixin class (once) and returns its name. */
    private String spec(Class<?> cls) {
        String done = written.get(cls);
        if (done != null) {
            return done;
        }
        String name = Character.toLowerCase(cls.getSimpleName().charAt(0)) + cls.getSimpleName().substring(1) + "Spec";
        written.put(cls, name);
        if (cls.getSuperclass() != Object.class || !cls.getPackageName().equals(Main.class.getPackageName())) {
            throw new IllegalStateException(cls + ": only classes of dev.proflab.cli without a superclass");
        }
        CommandSpec model = CommandSpec.forAnnotatedObject(newInstance(cls));
        StringBuilder m = new StringBuilder();
        m.append("    static CommandSpec ").append(name).append('(').append(cls.getSimpleName()).append(" o) {\n");
        m.append("        CommandSpec s = CommandSpec.wrapWithoutInspection(o);\n");
        boolean standardHelp = false;
        Command cmd = cls.getAnnotation(Command.class);
        if (cmd != null) {
            for (Map.Entry<String, Object> a : attributes(cmd).entrySet()) {
                Object v = a.getValue();
                switch (a.getKey()) {
                    case "name" -> m.append("        s.name(").append(lit(v)).append(");\n");
                    case "description", "footer", "header", "descriptionHeading", "optionListHeading",
                         "parameterListHeading", "synopsisHeading", "commandListHeading", "footerHeading",
                         "headerHeading", "customSynopsis", "sortOptions", "sortSynopsis", "abbreviateSynopsis",
                         "showDefaultValues", "hidden", "usageHelpWidth", "usageHelpAutoWidth",
                         "requiredOptionMarker", "synopsisSubcommandLabel" ->
                            m.append("        s.usageMessage().").append(a.getKey()).append('(')
                                    .append(lines(v, "                ")).append(");\n");
                    case "mixinStandardHelpOptions" -> standardHelp = (Boolean) v;
                    case "versionProvider" -> m.append("        s.versionProvider(new ")
                            .append(((Class<?>) v).getSimpleName()).append("());\n");
                    case "helpCommand" -> m.append("        s.helpCommand(").append(lit(v)).append(");\n");
                    case "addMethodSubcommands" -> {
                        // no method of ours is a command
                    }
                    default -> throw new IllegalStateException(cls.getSimpleName() + ": @Command(" + a.getKey()
                            + ") is not known to CommandSpecsSource");
                }
            }
        }
        for (Field f : cls.getDeclaredFields()) {
            Option option = f.getAnnotation(Option.class);
            Parameters parameters = f.getAnnotation(Parameters.class);
            if (option != null || parameters != null) {
                m.append(arg(cls, f, option != null ? option : parameters, model));
            } else if (f.isAnnotationPresent(Mixin.class)) {
                Mixin mixin = f.getAnnotation(Mixin.class);
                String mixinName = mixin.name().isEmpty() ? f.getName() : mixin.name();
                checkAccess(f);
                String builder = spec(f.getType());
                m.append("        o.").append(f.getName()).append(" = new ").append(f.getType().getSimpleName())
                        .append("();\n");
                m.append("        s.addMixin(").append(lit(mixinName)).append(", ").append(builder).append("(o.")
                        .append(f.getName()).append("));\n");
            } else if (f.isAnnotationPresent(Spec.class)) {
                if (f.getAnnotation(Spec.class).value() != Spec.Target.SELF) {
                    throw new IllegalStateException(f + ": only @Spec(SELF)");
                }
                checkAccess(f);
                m.append("        o.").append(f.getName()).append(" = s;\n");
            } else {
                for (Annotation a : f.getAnnotations()) {
                    if (a.annotationType().getEnclosingClass() == CommandLine.class) {
                        throw new IllegalStateException(f + ": @" + a.annotationType().getSimpleName()
                                + " is not known to CommandSpecsSource");
                    }
                }
            }
        }
        for (Method method : cls.getDeclaredMethods()) {
            for (Annotation a : method.getAnnotations()) {
                if (a.annotationType().getEnclosingClass() == CommandLine.class) {
                    throw new IllegalStateException(method + ": picocli annotations on methods are not known to"
                            + " CommandSpecsSource");
                }
            }
        }
        if (standardHelp) {
            m.append("        s.addMixin(\"mixinStandardHelpOptions\", standardHelp());\n");
        }
        m.append("        return s;\n    }\n");
        methods.add(m.toString());
        return name;
    }

    /** One option or positional parameter, as a statement adding it to {@code s}. */
    private String arg(Class<?> cls, Field f, Annotation a, CommandSpec model) {
        checkAccess(f);
        boolean isOption = a instanceof Option;
        ArgSpec spec = null;
        for (ArgSpec candidate : model.args()) {
            if (candidate.userObject() instanceof Field field && field.equals(f)) {
                spec = candidate;
            }
        }
        if (spec == null) {
            throw new IllegalStateException(f + ": not in picocli's model");
        }
        StringBuilder b = new StringBuilder();
        if (isOption) {
            b.append("        s.addOption(OptionSpec.builder(").append(lit(((Option) a).names())).append(')');
        } else {
            b.append("        s.addPositional(PositionalParamSpec.builder()");
        }
        for (Map.Entry<String, Object> e : attributes(a).entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "names" -> {
                    // the builder's argument
                }
                case "index" -> {
                    // below, from the model
                }
                case "paramLabel" -> {
                    // below, from the model (which is the annotation's when it gives one)
                }
                case "required" -> {
                    // below, from the model (picocli makes a positional parameter of arity 1 or more required)
                }
                case "description", "defaultValue", "negatable", "fallbackValue",
                     "usageHelp", "versionHelp", "hidden", "order", "hideParamSyntax", "descriptionKey",
                     "mapFallbackValue" ->
                        b.append("\n                .").append(e.getKey()).append('(')
                                .append(lines(v, "                        ")).append(')');
                case "split" -> b.append("\n                .splitRegex(").append(lit(v)).append(')');
                case "splitSynopsisLabel" ->
                        b.append("\n                .splitRegexSynopsisLabel(").append(lit(v)).append(')');
                case "scope" -> b.append("\n                .scopeType(picocli.CommandLine.ScopeType.")
                        .append(((Enum<?>) v).name()).append(')');
                case "arity" -> {
                    // below, from the model
                }
                default -> throw new IllegalStateException(f + ": @" + a.annotationType().getSimpleName() + "("
                        + e.getKey() + ") is not known to CommandSpecsSource");
            }
        }
        b.append("\n                .paramLabel(").append(lit(spec.paramLabel())).append(')');
        if (spec.required()) {
            b.append(".required(true)");
        }
        if (spec.descriptionKey() != null && !attributes(a).containsKey("descriptionKey")) {
            b.append(".descriptionKey(").append(lit(spec.descriptionKey())).append(')');
        }
        b.append(".arity(").append(range(spec.arity())).append(')');
        if (!isOption) {
            b.append(".index(").append(range(((picocli.CommandLine.Model.PositionalParamSpec) spec).index()))
                    .append(')');
        }
        b.append("\n                .type(").append(spec.type().getCanonicalName()).append(".class)");
        if (spec.auxiliaryTypes().length > 0 && !(spec.auxiliaryTypes().length == 1
                && spec.auxiliaryTypes()[0] == spec.type())) {
            b.append(".auxiliaryTypes(");
            Class<?>[] aux = spec.auxiliaryTypes();
            for (int i = 0; i < aux.length; i++) {
                b.append(i > 0 ? ", " : "").append(aux[i].getCanonicalName()).append(".class");
            }
            b.append(')');
        }
        int index = bound.size();
        bound.add(f);
        b.append("\n                .initialValue(o.").append(f.getName()).append(").getter(new Binding(")
                .append(index).append(", o)).setter(new Binding(").append(index).append(", o)).build());\n");
        return b.toString();
    }

    /** The binding of each field: one class, a case per field, no reflection. */
    private String binding() {
        StringBuilder s = new StringBuilder();
        s.append("\n    /** Reads and writes the field each option is declared on (the index is the field's). */\n");
        s.append("    private record Binding(int field, Object o) implements IGetter, ISetter {\n\n");
        s.append("        @Override\n        public <T> T get() {\n            return (T) switch (field) {\n");
        for (int i = 0; i < bound.size(); i++) {
            Field f = bound.get(i);
            s.append("                case ").append(i).append(" -> ((").append(f.getDeclaringClass().getSimpleName())
                    .append(") o).").append(f.getName()).append(";\n");
        }
        s.append("                default -> throw new IllegalStateException(\"no field \" + field);\n");
        s.append("            };\n        }\n\n");
        s.append("        @Override\n        public <T> T set(T value) {\n            T old = get();\n");
        s.append("            switch (field) {\n");
        for (int i = 0; i < bound.size(); i++) {
            Field f = bound.get(i);
            s.append("                case ").append(i).append(" -> ((").append(f.getDeclaringClass().getSimpleName())
                    .append(") o).").append(f.getName()).append(" = (").append(typeName(boxed(f.getGenericType())))
                    .append(") value;\n");
        }
        s.append("                default -> throw new IllegalStateException(\"no field \" + field);\n");
        s.append("            }\n            return old;\n        }\n    }\n");
        return s.toString();
    }

    /** The attributes an annotation sets to other than their defaults, by name. */
    private static Map<String, Object> attributes(Annotation a) {
        Map<String, Object> set = new LinkedHashMap<>();
        Method[] methods = a.annotationType().getDeclaredMethods();
        Arrays.sort(methods, (x, y) -> x.getName().compareTo(y.getName()));
        for (Method m : methods) {
            try {
                Object v = m.invoke(a);
                Object d = m.getDefaultValue();
                if (d == null || !Objects.deepEquals(v, d)) {
                    set.put(m.getName(), v);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return set;
    }

    private static String range(Range r) {
        return "Range.valueOf(" + lit(r.originalValue()) + ")" + (r.isUnspecified() ? ".unspecified(true)" : "");
    }

    private static void checkAccess(Field f) {
        int mod = f.getModifiers();
        if (Modifier.isPrivate(mod) || Modifier.isStatic(mod) || Modifier.isFinal(mod)) {
            throw new IllegalStateException(f + ": an annotated field must be an instance field, not private or final");
        }
    }

    private static Object newInstance(Class<?> cls) {
        try {
            var c = cls.getDeclaredConstructor();
            c.setAccessible(true);
            return c.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(cls + ": needs a constructor without parameters", e);
        }
    }

    private static Type boxed(Type t) {
        if (t == int.class) {
            return Integer.class;
        } else if (t == long.class) {
            return Long.class;
        } else if (t == boolean.class) {
            return Boolean.class;
        } else if (t == double.class) {
            return Double.class;
        } else if (t instanceof Class<?> c && c.isPrimitive()) {
            throw new IllegalStateException("no box for " + c);
        }
        return t;
    }

    private static String typeName(Type t) {
        if (t instanceof Class<?> c) {
            return c.getCanonicalName();
        }
        if (t instanceof ParameterizedType p) {
            StringBuilder s = new StringBuilder(typeName(p.getRawType())).append('<');
            Type[] args = p.getActualTypeArguments();
            for (int i = 0; i < args.length; i++) {
                s.append(i > 0 ? ", " : "").append(typeName(args[i]));
            }
            return s.append('>').toString();
        }
        throw new IllegalStateException("no source for the type " + t);
    }

    /** {@link #lit}, with the elements of an array of more than one on lines of their own. */
    private static String lines(Object v, String indent) {
        if (v instanceof String[] a && a.length > 1) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < a.length; i++) {
                s.append(i > 0 ? "," : "").append('\n').append(indent).append(lit(a[i]));
            }
            return s.toString();
        }
        return lit(v);
    }

    /** A Java literal of a String, String[], boolean or int. */
    private static String lit(Object v) {
        if (v instanceof String[] a) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < a.length; i++) {
                s.append(i > 0 ? ", " : "").append(lit(a[i]));
            }
            return s.toString();
        }
        if (v instanceof Boolean || v instanceof Integer) {
            return v.toString();
        }
        if (v instanceof Character c) {
            return "'" + (c == '\'' || c == '\\' ? "\\" + c : String.valueOf(c)) + "'";
        }
        if (v instanceof String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20 || c > 0x7e) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }
        throw new IllegalStateException("no literal for " + v + " (" + (v == null ? null : v.getClass()) + ")");
    }
}
