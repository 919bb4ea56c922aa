package io.marketplacebridge.sandbox;

/** {@code java -jar marketplace-bridge.jar sandbox [--port 8089]}: the sandbox on its own. STUB. */
public final class SandboxServer {

    private SandboxServer() {
    }

    public static void main(String... args) throws Exception {
        int port = 8089;
        for (int i = 0; i < args.length - 1; i++) {
            if ("--port".equals(args[i])) {
                port = Integer.parseInt(args[i + 1]);
            }
        }
        Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(port));
        System.out.println("Sandbox: Lectronz " + sandbox.lectronzBaseUrl() + ", Alephee " + sandbox.alepheeBaseUrl());
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
        Thread.currentThread().join();
    }
}
