package io.shardline.net.http;

import io.shardline.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Sends each request to the handler of the first route whose method and path pattern match;
 * immutable once built, so one router serves every shard. Handlers run on the request's shard.
 *
 * <p>A path no route matches gets 404; a path some route matches under other methods gets 405 with
 * an {@code Allow} field naming them. A HEAD request runs the GET route (the codec sends the head
 * only). Patterns: see {@link PathPattern}, e.g. {@code /users/{id}} and {@code /static/*}.
 */
public final class HttpRouter implements HttpHandler {
    private record Route(String method, PathPattern pattern, HttpHandler handler) {
    }

    private final Route[] routes;

    private HttpRouter(List<Route> routes) {
        this.routes = routes.toArray(new Route[0]);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Future<HttpResponse> handle(HttpRequest request) {
        String method = request.method();
        String path = request.path();
        boolean pathMatched = false;
        for (Route r : routes) {
            String[] params = r.pattern.match(path);
            if (params == null) {
                continue;
            }
            pathMatched = true;
            if (r.method.equals(method) || (method.equals("HEAD") && r.method.equals("GET"))) {
                request.params(params);
                return r.handler.handle(request);
            }
        }
        if (!pathMatched) {
            return Future.succeeded(HttpResponse.text(404, "Not Found\n"));
        }
        Set<String> allow = new LinkedHashSet<>();
        for (Route r : routes) {
            if (r.pattern.match(path) != null) {
                allow.add(r.method);
                if (r.method.equals("GET")) {
                    allow.add("HEAD");
                }
            }
        }
        return Future.succeeded(HttpResponse.text(405, "Method Not Allowed\n").header("Allow", String.join(", ", allow)));
    }

    /** Collects routes in order; not thread-safe. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        private Builder() {
        }

        /** Adds a route for {@code method} (case-sensitive, e.g. "GET") and {@code pattern}. */
        public Builder route(String method, String pattern, HttpHandler handler) {
            if (method.isEmpty() || !Ascii.isToken(method)) {
                throw new IllegalArgumentException("not a method: " + method);
            }
            routes.add(new Route(method, new PathPattern(pattern), handler));
            return this;
        }

        public Builder get(String pattern, HttpHandler handler) {
            return route("GET", pattern, handler);
        }

        public Builder post(String pattern, HttpHandler handler) {
            return route("POST", pattern, handler);
        }

        public Builder put(String pattern, HttpHandler handler) {
            return route("PUT", pattern, handler);
        }

        public Builder delete(String pattern, HttpHandler handler) {
            return route("DELETE", pattern, handler);
        }

        public HttpRouter build() {
            return new HttpRouter(routes);
        }
    }
}
