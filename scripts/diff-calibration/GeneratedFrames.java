import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.IntSupplier;
import java.util.function.LongUnaryOperator;

/**
 * Spends its time in code the JVM generates at run time, so that a recording shows the names such code gets
 * (GeneratedNames' examples come from recordings of it): lambdas, method handles (bound, direct, with
 * species), string concatenation, dynamic proxies of a public and of a package-private interface, core
 * reflection (a method, a constructor: bytecode accessors on JDK 17, method handles from JDK 18) and the
 * constructor accessor of deserialisation.
 *
 * <p>Usage: {@code java GeneratedFrames.java [SECONDS]}, e.g. under
 * {@code ./proflab profile -d 5s -- java -cp CLASSES GeneratedFrames 6} with JDK 17 and 25 and both engines.
 */
public class GeneratedFrames {

    static volatile long sink;

    interface Hidden {
        long work(long x);
    }

    public static class Base {
        int seed;

        public Base() {
            seed = 7;
        }
    }

    public static class Item extends Base implements Serializable {
        long value;

        public Item() {
        }

        public Item(long value) {
            this.value = value;
        }

        public long spin(long x) {
            long h = x;
            for (int i = 0; i < 200; i++) {
                h = h * 31 + i ^ (h >>> 7);
            }
            return h + value;
        }
    }

    static long bound(long a, long b) {
        long h = a;
        for (int i = 0; i < 100; i++) {
            h = h * 17 + b ^ (h >>> 5);
        }
        return h;
    }

    public static void main(String[] args) throws Throwable {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 6;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Method spin = Item.class.getMethod("spin", long.class);
        Constructor<Item> make = Item.class.getConstructor(long.class);
        MethodHandle direct = MethodHandles.lookup().findStatic(GeneratedFrames.class, "bound",
                MethodType.methodType(long.class, long.class, long.class));
        MethodHandle boundHandle = MethodHandles.insertArguments(direct, 1, 99L);
        MethodHandle spinHandle = MethodHandles.lookup().findVirtual(Item.class, "spin",
                MethodType.methodType(long.class, long.class)).bindTo(new Item(3));
        LongUnaryOperator publicProxy = (LongUnaryOperator) Proxy.newProxyInstance(GeneratedFrames.class.getClassLoader(),
                new Class<?>[]{LongUnaryOperator.class}, (p, m, a) -> bound((Long) a[0], 3));
        Hidden hiddenProxy = (Hidden) Proxy.newProxyInstance(GeneratedFrames.class.getClassLoader(),
                new Class<?>[]{Hidden.class}, (p, m, a) -> bound((Long) a[0], 5));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new Item(11));
        }
        byte[] serialised = bytes.toByteArray();
        long s = 0;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 2000; i++) {
                s += (long) spin.invoke(new Item(i), (long) i);
                s += make.newInstance((long) i).value;
                s += (long) direct.invokeExact(s, (long) i);
                s += (long) boundHandle.invokeExact(s);
                s += (long) spinHandle.invokeExact(s);
                s += publicProxy.applyAsLong(i);
                s += hiddenProxy.work(i);
                long v = s;
                IntSupplier lambda = () -> (int) bound(v, 1);
                s += lambda.getAsInt();
                s += ("k" + i + ":" + s).length();
            }
            for (int i = 0; i < 50; i++) {
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialised))) {
                    s += ((Item) in.readObject()).value;
                }
            }
        }
        sink = s;
    }
}
