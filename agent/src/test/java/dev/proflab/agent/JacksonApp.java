package dev.proflab.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An application with a Jackson of its own (AgentJacksonIT runs it on a class path with an older Jackson): prints
 * the version it got, serialises for {@code args[0]} seconds, prints "done".
 */
public final class JacksonApp {

    private JacksonApp() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper m = new ObjectMapper();
        System.out.println("jackson " + m.version() + " from "
                + ObjectMapper.class.getProtectionDomain().getCodeSource().getLocation());
        long end = System.nanoTime() + (long) (Double.parseDouble(args[0]) * 1e9);
        long n = 0;
        do {
            ObjectNode o = m.createObjectNode();
            for (int i = 0; i < 50; i++) {
                o.put("k" + i, i * 31L + n);
            }
            n += m.writeValueAsString(o).length();
        } while (System.nanoTime() < end);
        System.out.println("done " + (n & 1));
    }
}
