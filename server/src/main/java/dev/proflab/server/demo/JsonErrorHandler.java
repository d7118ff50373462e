package dev.proflab.server.demo;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Jetty's answers to requests that never reach a route (a broken request line, headers too large, an ambiguous
 * path): the same one-line JSON as the routes' errors, with the status's reason phrase and nothing of the
 * request, the server or its stack. A request line without an HTTP version (HTTP/0.9) gets 400, not Jetty's 505:
 * it is the client's mistake, and the service's own failures are the only 5xx it sends.
 */
final class JsonErrorHandler extends ErrorHandler {

    JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        int status = code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 ? HttpStatus.BAD_REQUEST_400 : code;
        String reason = HttpStatus.getMessage(status);
        String body = "{\"error\":\"" + (reason == null ? "request refused" : reason.replace("\"", "'"))
                .toLowerCase(java.util.Locale.ROOT) + "\"}\n";
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
