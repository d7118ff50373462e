package dev.proflab.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A query load on an H2 server over JDBC (the H2 driver is on the test class path), so that the server's CPU
 * profile is full of H2's own methods; {@link #h2Jar()} is the jar Maven resolved from Central.
 */
final class H2Load implements AutoCloseable {

    private final Thread thread;
    private volatile boolean stop;
    final AtomicLong queries = new AtomicLong();
    volatile Throwable failure;

    H2Load(String url) {
        thread = Thread.ofPlatform().daemon().name("h2-load").start(() -> {
            try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                Statement s = c.createStatement();
                s.execute("CREATE TABLE IF NOT EXISTS t(id INT PRIMARY KEY, v VARCHAR(100))");
                s.execute("MERGE INTO t SELECT x, 'row' || x FROM SYSTEM_RANGE(1, 20000)");
                while (!stop) {
                    try (ResultSet r = s.executeQuery(
                            "SELECT COUNT(*), SUM(LENGTH(v)) FROM t WHERE MOD(id, 7) = 3 AND v LIKE '%1%'")) {
                        r.next();
                        queries.incrementAndGet();
                    }
                }
            } catch (Throwable e) {
                failure = e;
            }
        });
    }

    /** com.h2database:h2's jar, from the test class path. */
    static Path h2Jar() {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (p.getFileName() != null && p.getFileName().toString().matches("h2-[0-9.]+\\.jar")
                    && Files.isRegularFile(p)) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("the h2 jar is not on the test class path");
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(10_000);
    }
}
