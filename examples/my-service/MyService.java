import com.sun.net.httpserver.HttpServer;
import dev.proflab.debug.DebugEndpoints;
import dev.proflab.debug.DebugHttpHandler;
import dev.proflab.debug.DebugOptions;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** A service with one route, /hello, that spins for a few milliseconds, and Go's /debug/pprof endpoints mounted. */
public class MyService {

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 16170;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newCachedThreadPool());   // a capture holds its thread for ?seconds=
        DebugEndpoints debug = new DebugEndpoints(DebugOptions.defaults());
        DebugHttpHandler.mount(server, debug);                 // serves /debug/...
        server.createContext("/hello", exchange -> {
            byte[] body = ("hello " + spin(5_000_000) + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        System.out.println(debug.describe(server.getAddress().getAddress()));
        System.out.println("MyService: http://127.0.0.1:" + port + "/hello (Ctrl-C to stop)");
        server.start();
    }

    /** The hot spot a profile should find: {@code rounds} multiplications, each waiting for the one before. */
    static long spin(int rounds) {
        long x = 1;
        for (int i = 0; i < rounds; i++) {
            x = x * 31 + i;
        }
        return x;
    }
}
