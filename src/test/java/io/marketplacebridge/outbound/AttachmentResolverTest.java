package io.marketplacebridge.outbound;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.marketplacebridge.config.BridgeSettings.BodyFormat;
import io.marketplacebridge.outbound.OutboundCommand.AttachmentSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.marketplacebridge.outbound.ErrorCode.*;
import static org.junit.jupiter.api.Assertions.*;

class AttachmentResolverTest {

    private static WireMockServer files;
    private static HttpClient trustingClient;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startFileServer() throws Exception {
        // a real certificate for "localhost", trusted through a trust store as an operator's private CA would be
        Path dir = Files.createTempDirectory("attachment-tls");
        Path keystore = dir.resolve("localhost.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "localhost", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit").inheritIO().start();
        assertEquals(0, keytool.waitFor());
        files = new WireMockServer(options().dynamicPort().dynamicHttpsPort().keystorePath(keystore.toString())
                .keystorePassword("changeit").keyManagerPassword("changeit").keystoreType("PKCS12"));
        files.start();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), new SecureRandom());
        trustingClient = HttpClient.newBuilder().sslContext(ssl).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @AfterAll
    static void stop() {
        files.stop();
    }

    private AttachmentResolver resolver(Path dir, long max) {
        return new AttachmentResolver(Optional.ofNullable(dir), Set.of("localhost"), max, trustingClient, Duration.ofSeconds(5));
    }

    private static AttachmentSpec path(String p) {
        return new AttachmentSpec(null, p, null, "doc", "pdf");
    }

    private static AttachmentSpec url(String u) {
        return new AttachmentSpec(u, null, null, "doc", "pdf");
    }

    private static ErrorCode code(ThrowingRunnable r) {
        try {
            r.run();
            return null;
        } catch (CommandRejected e) {
            assertFalse(e.getMessage().isBlank());
            return e.code();
        }
    }

    interface ThrowingRunnable {
        void run() throws CommandRejected;
    }

    private String https(String p) {
        return "https://localhost:" + files.httpsPort() + p;
    }

    @Test
    void pathInsideTheFolderIsCopiedUnderTheCap() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("docs"));
        Files.createDirectories(dir.resolve("2026/11"));
        Path original = Files.write(dir.resolve("2026/11/a.pdf"), new byte[] {1, 2, 3});
        Path copy;
        try (AttachmentResolver.Resolved r = resolver(dir, 100).resolve(path("2026/11/a.pdf"))) {
            copy = r.file();
            assertEquals(3, r.size());
            assertTrue(r.temporary());
            Files.write(original, new byte[] {6, 6, 6, 6}); // changed after the check: what is sent is what was copied
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(copy));
        }
        assertFalse(Files.exists(copy), "the copy is deleted on close");
        assertTrue(Files.exists(original), "the folder's file is left alone");
        try (AttachmentResolver.Resolved r = resolver(dir, 100).resolve(path(original.toString()))) {
            assertEquals(4, r.size(), "an absolute path inside the folder");
        }
        assertEquals(ATTACHMENT_UNAVAILABLE, code(() -> resolver(dir, 100).resolve(path("missing.pdf"))));
        assertEquals(ATTACHMENT_UNAVAILABLE, code(() -> resolver(dir, 100).resolve(path("nowhere/missing.pdf"))));
        assertEquals(ATTACHMENT_UNAVAILABLE, code(() -> resolver(dir, 100).resolve(path("2026"))), "a folder is no document");
        assertEquals(ATTACHMENT_TOO_LARGE, code(() -> resolver(dir, 2).resolve(path("2026/11/a.pdf"))));
    }

    @Test
    void pathGuards() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("docs"));
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "s");
        Files.write(dir.resolve("inside.pdf"), new byte[] {1});
        Files.createSymbolicLink(dir.resolve("link.pdf"), secret);
        Files.createSymbolicLink(dir.resolve("sub"), tmp);
        Files.createSymbolicLink(dir.resolve("alias.pdf"), dir.resolve("inside.pdf"));
        Files.createDirectories(dir.resolve("real"));
        Files.createSymbolicLink(dir.resolve("real/deeper"), tmp);
        AttachmentResolver r = resolver(dir, 100);
        assertEquals(ATTACHMENT_FORBIDDEN, code(() -> r.resolve(path("../secret.txt"))));
        assertEquals(ATTACHMENT_FORBIDDEN, code(() -> r.resolve(path("a/../../secret.txt"))));
        assertEquals(ATTACHMENT_FORBIDDEN, code(() -> r.resolve(path(secret.toString()))));
        assertEquals(ATTACHMENT_FORBIDDEN, code(() -> r.resolve(path("link.pdf"))), "a link to a file outside");
        assertEquals(ATTACHMENT_FORBIDDEN, code(() -> r.resolve(path("sub/secret.txt"))), "a link to a folder outside");
        assertEquals(ATTACHMENT_FORBIDDEN, code(() -> r.resolve(path("real/deeper/secret.txt"))), "a link further down");
        assertEquals(ATTACHMENT_FORBIDDEN, code(() -> r.resolve(path("alias.pdf"))), "links are not followed at all");
        assertEquals(ATTACHMENT_FORBIDDEN, code(() -> r.resolve(path(""))));
        assertEquals(ATTACHMENT_FORBIDDEN, code(() -> resolver(null, 100).resolve(path("inside.pdf"))));
    }

    @Test
    void urlDownloadHasOneDeadlineForTheWholeBody() throws Exception {
        // 20 chunks over 20 s: each arrives well within any read timeout, the whole would take 20 s
        files.stubFor(get("/dribble.pdf").willReturn(ok().withBody(new byte[2000]).withChunkedDribbleDelay(20, 20_000)));
        files.stubFor(get("/late.pdf").willReturn(ok().withBody(new byte[] {1}).withFixedDelay(20_000)));
        AttachmentResolver oneSecond = new AttachmentResolver(Optional.empty(), Set.of("localhost"), 10_000, trustingClient,
                Duration.ofSeconds(1));
        for (String slow : new String[] {"/dribble.pdf", "/late.pdf"}) {
            long started = System.nanoTime();
            CommandRejected e = assertThrows(CommandRejected.class, () -> oneSecond.resolve(url(https(slow))));
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(ATTACHMENT_UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("BRIDGE_ATTACHMENT_TIMEOUT"), e.getMessage());
            assertTrue(tookMs < 15_000, slow + " gave up after " + tookMs + " ms, not at the 1 s deadline");
        }
    }

    @Test
    void urlGuards() {
        AttachmentResolver r = resolver(null, 100);
        assertEquals(ATTACHMENT_FORBIDDEN, code(() -> r.resolve(url("http://localhost:" + files.port() + "/a.pdf"))));
        assertEquals(ATTACHMENT_FORBIDDEN, code(() -> r.resolve(url("https://example.org/a.pdf"))));
        assertEquals(ATTACHMENT_FORBIDDEN, code(() -> r.resolve(url("ftp://localhost/a.pdf"))));
        AttachmentResolver noHosts = new AttachmentResolver(Optional.empty(), Set.of(), 100, trustingClient, Duration.ofSeconds(5));
        assertEquals(ATTACHMENT_FORBIDDEN, code(() -> noHosts.resolve(url(https("/a.pdf")))));
    }

    @Test
    void urlIsDownloadedWithinTheCap() throws Exception {
        files.stubFor(get("/ok.pdf").willReturn(ok().withBody(new byte[] {9, 8, 7, 6})));
        files.stubFor(get("/big.pdf").willReturn(ok().withBody(new byte[500])));
        // chunked, no Content-Length: the cap is counted while the body arrives
        files.stubFor(get("/big-chunked.pdf").willReturn(ok().withBody(new byte[500]).withChunkedDribbleDelay(5, 50)));
        files.stubFor(get("/gone.pdf").willReturn(notFound()));
        files.stubFor(get("/hop").willReturn(temporaryRedirect(https("/ok.pdf"))));
        files.stubFor(get("/away").willReturn(temporaryRedirect("https://127.0.0.1:" + files.httpsPort() + "/ok.pdf")));
        files.stubFor(get("/down").willReturn(temporaryRedirect("http://localhost:" + files.port() + "/ok.pdf")));
        AttachmentResolver r = resolver(null, 100);
        Path file;
        try (AttachmentResolver.Resolved ok = r.resolve(url(https("/ok.pdf")))) {
            assertArrayEquals(new byte[] {9, 8, 7, 6}, Files.readAllBytes(ok.file()));
            file = ok.file();
        }
        assertFalse(Files.exists(file), "temporary file deleted on close");
        try (AttachmentResolver.Resolved hop = r.resolve(url(https("/hop")))) {
            assertEquals(4, hop.size());
        }
        assertEquals(ATTACHMENT_TOO_LARGE, code(() -> r.resolve(url(https("/big.pdf")))));
        assertEquals(ATTACHMENT_TOO_LARGE, code(() -> r.resolve(url(https("/big-chunked.pdf")))));
        assertEquals(ATTACHMENT_UNAVAILABLE, code(() -> r.resolve(url(https("/gone.pdf")))));
        assertEquals(ATTACHMENT_FORBIDDEN, code(() -> r.resolve(url(https("/away")))));
        assertEquals(ATTACHMENT_FORBIDDEN, code(() -> r.resolve(url(https("/down")))));
        assertEquals(ATTACHMENT_UNAVAILABLE, code(() -> r.resolve(url("https://localhost:1/nothing-listens.pdf"))));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 1_000_003})
    void base64RoundTripThroughTheStreamingJsonBody(int size) throws Exception {
        byte[] original = new byte[size];
        new Random(size).nextBytes(original);
        String b64 = Base64.getEncoder().encodeToString(original);
        AttachmentResolver r = resolver(null, 2_000_000);
        if (size == 0) {
            return; // an empty document is refused by the validator (no base64 text)
        }
        try (AttachmentResolver.Resolved doc = r.resolve(new AttachmentSpec(null, null, b64, "inv", "pdf"))) {
            assertArrayEquals(original, Files.readAllBytes(doc.file()));
            OutboundCommand cmd = new OutboundCommand(null, OutboundCommand.Channel.ALEPHEE, OutboundCommand.Action.SEND,
                    null, null, "Invoice \"attached\" ✓", 3, "77", null, "default");
            var entity = AlepheeBody.of(BodyFormat.JSON, cmd, doc);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            entity.writeTo(out);
            entity.writeTo(new ByteArrayOutputStream()); // repeatable for retries
            assertEquals(entity.getContentLength(), out.size());
            JsonNode json = new ObjectMapper().readTree(out.toByteArray());
            assertArrayEquals(original, Base64.getDecoder().decode(json.get("fileBase64").asText()));
            assertEquals("Invoice \"attached\" ✓", json.get("message").asText());
            assertEquals(3, json.get("messageOptions").asInt());
            assertEquals("inv", json.get("documentName").asText());
            assertEquals("pdf", json.get("documentExtension").asText());
        }
    }

    @Test
    void base64TooLargeOrBroken() {
        AttachmentResolver r = resolver(null, 3);
        assertEquals(ATTACHMENT_TOO_LARGE, code(() -> r.resolve(new AttachmentSpec(null, null, "AAAAAAAA", "a", "pdf"))));
        assertEquals(ATTACHMENT_INVALID, code(() -> r.resolve(new AttachmentSpec(null, null, "A===", "a", "pdf"))));
    }
}
