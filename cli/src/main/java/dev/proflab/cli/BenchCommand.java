package dev.proflab.cli;

import dev.proflab.jmh.JmhLock;
import dev.proflab.jmh.Lab;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code proflab bench [fib|alloc|mutex|all]}: runs the labs' JMH benchmarks once with bytes/op
 * ({@code -prof gc}) and JMH's own report, like the seed's {@code go test -bench -benchmem}.
 */
@Command(mixinStandardHelpOptions = true, name = "bench", addMethodSubcommands = false,
        description = {"Run the labs' JMH benchmarks (all variants) with -prof gc and print JMH's report.",
                "The JSON result is kept as tmp/bench-<lab>.json for 'proflab stat'."})
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "all", paramLabel = "LAB",
            description = "fib, alloc, mutex, dce or all (default: ${DEFAULT-VALUE})")
    String lab;

    @Parameters(index = "1..*", paramLabel = "JMH_ARG",
            description = "More JMH options, after '--' (e.g. -- -p n=25)")
    List<String> jmhArgs = new ArrayList<>();

    @Option(names = "--time", paramLabel = "DURATION",
            description = "Warm-up and measurement iteration time, e.g. 500ms or 1s (default: the benchmark's own)")
    String time;

    @Option(names = "--forks", paramLabel = "N", description = "JMH forks (default: the benchmark's own)")
    Integer forks;

    @Option(names = "--jar", paramLabel = "FILE", description = "The benchmarks jar (default: bench/target/benchmarks.jar)")
    Path jar;

    @Override
    public Integer call() throws Exception {
        String include;
        String name;
        List<String> params = List.of();
        if (lab.equalsIgnoreCase("all")) {
            include = "^dev\\.proflab\\.bench\\.";
            name = "all";
        } else {
            Lab l = Lab.byId(lab).orElseThrow(() ->
                    new UsageException("unknown lab '" + lab + "': use " + Lab.ids() + " or all"));
            include = l.include();
            name = l.id();
            params = List.of("-p", Lab.PARAM + "=" + String.join(",", l.variants()));
        }
        Path benchJar = Env.benchmarksJar(jar);
        Path out = Env.tmp().resolve("bench-" + name + ".json");
        Files.createDirectories(out.getParent());
        List<String> cmd = new ArrayList<>(List.of(Env.java().toString(), "-jar", benchJar.toString(), include,
                "-prof", "gc"));
        cmd.addAll(params);
        if (time != null) {
            String t = Durations.jmh(time, "--time");
            cmd.addAll(List.of("-w", t, "-r", t));
        }
        if (forks != null) {
            if (forks < 1) {
                throw new UsageException("--forks must be at least 1, not " + forks);
            }
            cmd.addAll(List.of("-f", forks.toString()));
        }
        cmd.addAll(jmhArgs);
        Path part = out.resolveSibling("." + out.getFileName() + ".part");
        cmd.addAll(List.of("-rf", "json", "-rff", part.toString()));
        JmhLock lock = JmhLock.acquire(m -> System.err.println("proflab: " + m), () -> false);
        if (lock.held()) {
            cmd.add(1, JmhLock.IGNORE_LOCK); // this process holds JMH's lock until it exits
        }
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }));
        int rc = p.waitFor();
        if (rc != 0 || !Files.isRegularFile(part)) {
            Files.deleteIfExists(part);
            throw new UsageException("JMH failed with exit code " + rc + " (see its output above)");
        }
        Files.move(part, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.err.println("proflab: results in " + Env.home().relativize(out));
        return 0;
    }
}
