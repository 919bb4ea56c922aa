package io.marketplacebridge.outbound;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.marketplacebridge.outbound.OutboundCommand.AttachmentSpec;

import static io.marketplacebridge.outbound.ErrorCode.*;

/**
 * Turns an attachment source into a file on disk, enforcing the guards of SPEC section 5: paths only
 * inside {@code BRIDGE_ATTACHMENT_DIR} (symlinks resolved), urls only https on an allowed host (redirects
 * followed by hand, only within allowed hosts), base64 validated while decoding, and the size cap while
 * streaming. Nothing is held in memory: urls and base64 go to a temporary file the caller closes.
 */
public final class AttachmentResolver {

    private static final int MAX_REDIRECTS = 5;

    private final Optional<Path> dir;
    private final Set<String> hosts;
    private final long maxBytes;
    private final HttpClient http;
    private final Duration timeout;

    public AttachmentResolver(Optional<Path> dir, Set<String> hosts, long maxBytes, HttpClient http, Duration timeout) {
        this.dir = dir;
        this.hosts = hosts;
        this.maxBytes = maxBytes;
        this.http = http;
        this.timeout = timeout;
    }

    /** The production client: JVM trust store (default SSLContext), no automatic redirects. */
    public static HttpClient defaultClient(Duration connectTimeout) {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout).build();
    }

    /** A document ready to send; close it to delete its temporary file. */
    public record Resolved(Path file, long size, boolean temporary, String documentName, String documentExtension)
            implements AutoCloseable {
        @Override
        public void close() {
            if (temporary) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // best effort: the temp folder is cleaned by the OS too
                }
            }
        }
    }

    public Resolved resolve(AttachmentSpec spec) throws CommandRejected {
        if (spec.path() != null) {
            Path real = guardedPath(spec.path());
            return new Resolved(real, sizeOf(real), false, spec.documentName(), spec.documentExtension());
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("outbound-attachment-", ".bin");
            if (spec.base64() != null) {
                decodeBase64(spec.base64(), tmp);
            } else {
                download(spec.url(), tmp);
            }
            Resolved r = new Resolved(tmp, Files.size(tmp), true, spec.documentName(), spec.documentExtension());
            tmp = null;
            return r;
        } catch (IOException e) {
            throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "The attachment could not be stored for sending: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    /** The real path of a file inside the attachment folder, or the reason it may not be read. */
    Path guardedPath(String requested) throws CommandRejected {
        if (dir.isEmpty()) {
            throw new CommandRejected(ATTACHMENT_FORBIDDEN, "attachment.path is refused: BRIDGE_ATTACHMENT_DIR is not set");
        }
        Path base;
        try {
            base = dir.get().toRealPath();
        } catch (IOException e) {
            throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "The attachment folder (BRIDGE_ATTACHMENT_DIR) does not exist");
        }
        Path wanted;
        try {
            wanted = base.resolve(requested).normalize();
        } catch (RuntimeException e) {
            throw new CommandRejected(ATTACHMENT_INVALID, "attachment.path is not a valid path");
        }
        if (!wanted.startsWith(base)) {
            throw new CommandRejected(ATTACHMENT_FORBIDDEN, "attachment.path must be inside the attachment folder (BRIDGE_ATTACHMENT_DIR)");
        }
        Path real;
        try {
            real = wanted.toRealPath();
        } catch (NoSuchFileException e) {
            throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "attachment.path '" + CommandValidator.shorten(requested) + "' does not exist");
        } catch (IOException e) {
            throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "attachment.path '" + CommandValidator.shorten(requested) + "' cannot be read");
        }
        if (!real.startsWith(base)) {
            throw new CommandRejected(ATTACHMENT_FORBIDDEN, "attachment.path leads outside the attachment folder (BRIDGE_ATTACHMENT_DIR) through a link");
        }
        if (!Files.isRegularFile(real) || !Files.isReadable(real)) {
            throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "attachment.path '" + CommandValidator.shorten(requested) + "' is not a readable file");
        }
        return real;
    }

    private long sizeOf(Path real) throws CommandRejected {
        try {
            long size = Files.size(real);
            if (size > maxBytes) {
                throw tooLarge();
            }
            return size;
        } catch (IOException e) {
            throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "attachment.path cannot be read");
        }
    }

    private void decodeBase64(String base64, Path target) throws CommandRejected, IOException {
        InputStream decoded = Base64.getDecoder().wrap(new ByteArrayInputStream(base64.getBytes(StandardCharsets.US_ASCII)));
        try {
            copyCapped(decoded, target);
        } catch (IllegalArgumentException | IOException e) {
            if (e instanceof CappedCopyException) {
                throw tooLarge();
            }
            throw new CommandRejected(ATTACHMENT_INVALID, "attachment.base64 is not valid base64: " + e.getMessage());
        }
    }

    private void download(String url, Path target) throws CommandRejected {
        URI uri = checkedUrl(url);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<InputStream> response;
            try {
                response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "The attachment url " + safe(uri) + " could not be fetched: " + e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "Interrupted while fetching the attachment url");
            }
            int status = response.statusCode();
            try (InputStream body = response.body()) {
                if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                    URI next;
                    try {
                        next = uri.resolve(response.headers().firstValue("Location").get());
                    } catch (IllegalArgumentException e) {
                        throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "The attachment url redirects to an invalid location");
                    }
                    uri = checkedRedirect(next);
                    continue;
                }
                if (status != 200) {
                    throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "The attachment url " + safe(uri) + " answered HTTP " + status);
                }
                long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > maxBytes) {
                    throw tooLarge();
                }
                try {
                    copyCapped(body, target);
                } catch (CappedCopyException e) {
                    throw tooLarge();
                }
                return;
            } catch (IOException e) {
                throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "The attachment url " + safe(uri) + " broke off while downloading");
            }
        }
        throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "The attachment url redirects more than " + MAX_REDIRECTS + " times");
    }

    /** https on an allowed host, else ATTACHMENT_FORBIDDEN. */
    URI checkedUrl(String url) throws CommandRejected {
        if (hosts.isEmpty()) {
            throw new CommandRejected(ATTACHMENT_FORBIDDEN, "attachment.url is refused: BRIDGE_ATTACHMENT_HOSTS is not set");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new CommandRejected(ATTACHMENT_INVALID, "attachment.url is not a valid URL");
        }
        return allowed(uri, "attachment.url");
    }

    private URI checkedRedirect(URI next) throws CommandRejected {
        return allowed(next, "The attachment url redirects to " + safe(next) + ", which");
    }

    private URI allowed(URI uri, String what) throws CommandRejected {
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new CommandRejected(ATTACHMENT_FORBIDDEN, what + " must use https");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!hosts.contains(host) || uri.getUserInfo() != null) {
            throw new CommandRejected(ATTACHMENT_FORBIDDEN, what + " is on host '" + CommandValidator.shorten(host)
                    + "', which is not in BRIDGE_ATTACHMENT_HOSTS");
        }
        return uri;
    }

    /** Scheme, host and path only: a signed URL's query may hold a secret. */
    private static String safe(URI uri) {
        return CommandValidator.shorten(uri.getScheme() + "://" + uri.getHost() + (uri.getPath() == null ? "" : uri.getPath()));
    }

    private CommandRejected tooLarge() {
        return new CommandRejected(ATTACHMENT_TOO_LARGE, "The attachment is larger than " + maxBytes
                + " bytes (BRIDGE_ATTACHMENT_MAX_BYTES)");
    }

    private void copyCapped(InputStream in, Path target) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new CappedCopyException();
                }
                out.write(buffer, 0, n);
            }
        }
    }

    private static final class CappedCopyException extends IOException {
        CappedCopyException() {
            super("size cap reached", null);
        }
    }
}
