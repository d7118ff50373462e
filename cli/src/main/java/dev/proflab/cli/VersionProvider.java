package dev.proflab.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code proflab --version}: the version of proflab and the JDK it runs on. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    public static String version() {
        // The jar's manifest, which the JVM has already read when it defined the package (from the start-up cache,
        // without opening the jar); a resource lookup searched the JDK's modules and opened the 16 MB jar, a third
        // of --version's time. version.properties when run from the classes folder (tests).
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // the version is informational; fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        Runtime.Version v = Runtime.version();
        return new String[] {
                "proflab " + version(),
                "JDK " + v + " (" + System.getProperty("java.vendor", "?") + ") at " + System.getProperty("java.home"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                        + Runtime.getRuntime().availableProcessors() + " CPUs"
        };
    }
}
