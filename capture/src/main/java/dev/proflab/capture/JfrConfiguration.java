package dev.proflab.capture;

import dev.proflab.io.AtomicFiles;
import jdk.jfr.Configuration;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** A {@code .jfc} file: the JDK's {@code default} configuration with proflab's settings laid over it. */
final class JfrConfiguration {

    private JfrConfiguration() {
    }

    /** The default configuration's settings with {@code overlay} applied. */
    static Map<String, String> settings(Map<String, String> overlay) {
        Map<String, String> all = new TreeMap<>();
        try {
            all.putAll(Configuration.getConfiguration("default").getSettings());
        } catch (IOException | ParseException e) {
            // no default configuration: only proflab's settings
        }
        all.putAll(overlay);
        return all;
    }

    static void write(Path file, Map<String, String> overlay) throws IOException {
        Map<String, Map<String, String>> byEvent = new LinkedHashMap<>();
        settings(overlay).forEach((key, value) -> {
            int hash = key.indexOf('#');
            if (hash > 0) {
                byEvent.computeIfAbsent(key.substring(0, hash), k -> new LinkedHashMap<>()).put(key.substring(hash + 1), value);
            }
        });
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<configuration version=\"2.0\" label=\"proflab\" description=\"JDK default settings plus the sampling proflab was asked for\" provider=\"proflab\">\n");
        byEvent.forEach((event, settings) -> {
            sb.append("  <event name=\"").append(xml(event)).append("\">\n");
            settings.forEach((k, v) -> sb.append("    <setting name=\"").append(xml(k)).append("\">").append(xml(v)).append("</setting>\n"));
            sb.append("  </event>\n");
        });
        sb.append("</configuration>\n");
        AtomicFiles.writeString(file, sb.toString());
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
