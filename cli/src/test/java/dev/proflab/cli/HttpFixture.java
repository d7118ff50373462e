package dev.proflab.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A small HTTP server whose one answer costs a known piece of CPU: {@code fib(n)} computed recursively in
 * {@link #work}. Prints {@code listening PORT} when it accepts requests, and stops after {@code seconds}.
 */
public final class HttpFixture {

    public static void main(String[] args) throws IOException, InterruptedException {
        int n = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/work", exchange -> {
            byte[] body = Long.toString(work(n)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("listening " + server.getAddress().getPort());
        System.out.flush();
        Thread.sleep(seconds * 1000);
        server.stop(0);
    }

    static long work(int n) {
        return n < 2 ? n : work(n - 1) + work(n - 2);
    }
}
