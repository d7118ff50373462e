package dev.proflab.debug;

import dev.proflab.debug.DebugTestSupport.Server;
import dev.proflab.debug.javalin.DebugJavalin;
import io.javalin.Javalin;

/** The second adapter of the tests that run on both: the endpoints in a Javalin 7 application. */
final class JavalinServers {

    private JavalinServers() {
    }

    static Server javalin(DebugEndpoints debug, String host) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            DebugJavalin.register(config, debug);
            config.routes.get("/hello", ctx -> ctx.result("hi"));
        }).start(host, 0);
        return new Server() {
            public String name() {
                return "javalin";
            }

            public int port() {
                return app.port();
            }

            public DebugEndpoints endpoints() {
                return debug;
            }

            public void close() {
                app.stop();
            }

            @Override
            public String toString() {
                return "Javalin";
            }
        };
    }
}
