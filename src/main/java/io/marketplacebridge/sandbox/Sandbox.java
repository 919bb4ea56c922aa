package io.marketplacebridge.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/** In-process fake of both remote APIs (SPEC section 2). STUB: the sandbox issue completes this. */
public final class Sandbox implements AutoCloseable {

    private final HttpServer server;

    private Sandbox(HttpServer server) {
        this.server = server;
    }

    public static Sandbox start(SandboxOptions options) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", options.port()), 0);
            server.start();
            return new Sandbox(server);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the sandbox on port " + options.port(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String lectronzBaseUrl() {
        return "http://localhost:" + port() + "/lectronz/api/v1";
    }

    public String alepheeBaseUrl() {
        return "http://localhost:" + port() + "/alephee/v2";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
