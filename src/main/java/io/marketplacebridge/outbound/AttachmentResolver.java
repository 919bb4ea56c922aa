package io.marketplacebridge.outbound;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.outbound.OutboundCommand.AttachmentSpec;
import org.apache.camel.util.function.Suppliers;

import static io.marketplacebridge.outbound.ErrorCode.*;

/**
 * Turns an attachment source into a temporary file the caller sends and then closes, enforcing the guards of SPEC
 * section 5 and the size cap while copying:
 * <ul>
 *   <li>{@code path}: only inside {@code BRIDGE_ATTACHMENT_DIR}, opened once and without following any link: every
 *       folder below it is opened relative to its parent with NOFOLLOW_LINKS (a {@link SecureDirectoryStream}, openat),
 *       then the file itself, so a folder or file swapped for a symlink after a check cannot lead outside; the
 *       copy taken is what is sent.</li>
 *   <li>{@code url}: https on an allowed host only (redirects followed by hand, only within allowed hosts), the whole
 *       download, redirects included, within {@code BRIDGE_ATTACHMENT_TIMEOUT}.</li>
 *   <li>{@code base64}: validated while decoding (java.util.Base64 streams).</li>
 * </ul>
 */
public final class AttachmentResolver {

    private static final int MAX_REDIRECTS = 5;

    private final Optional<Path> dir;
    private final Set<String> hosts;
    private final long maxBytes;
    private final Supplier<HttpClient> http;
    /** The whole download of one url attachment, redirects included. */
    private final Duration timeout;

    public AttachmentResolver(Optional<Path> dir, Set<String> hosts, long maxBytes, HttpClient http, Duration timeout) {
        this(dir, hosts, maxBytes, () -> http, timeout);
    }

    private AttachmentResolver(Optional<Path> dir, Set<String> hosts, long maxBytes, Supplier<HttpClient> http,
                               Duration timeout) {
        this.dir = dir;
        this.hosts = hosts;
        this.maxBytes = maxBytes;
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * As the bridge's settings say: BRIDGE_ATTACHMENT_DIR, _HOSTS, _MAX_BYTES and _TIMEOUT. The client is built at
     * the first url attachment: building it loads the JVM's trust store, which took a good part of the start-up.
     */
    public static AttachmentResolver of(BridgeSettings settings) {
        return new AttachmentResolver(settings.attachmentDir(), settings.attachmentHosts(), settings.attachmentMaxBytes(),
                Suppliers.memorize(() -> defaultClient(settings.httpConnectTimeout())), settings.attachmentTimeout());
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
        Path tmp = null;
        try {
            tmp = Files.createTempFile("outbound-attachment-", ".bin");
            if (spec.path() != null) {
                copyFromFolder(spec.path(), tmp);
            } else if (spec.base64() != null) {
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

    /**
     * Copies a file inside the attachment folder to {@code target}, opening each folder below it and then the file
     * relative to its parent, never through a link.
     */
    void copyFromFolder(String requested, Path target) throws CommandRejected {
        List<Path> names = namesBelowFolder(requested);
        String shown = CommandValidator.shorten(requested);
        Path base;
        try {
            base = dir.get().toRealPath();
        } catch (IOException e) {
            throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "The attachment folder (BRIDGE_ATTACHMENT_DIR) does not exist");
        }
        List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
        try {
            SecureDirectoryStream<Path> folder = secure(Files.newDirectoryStream(base));
            opened.add(folder);
            for (Path name : names.subList(0, names.size() - 1)) {
                refuseLink(folder, name, shown);
                folder = folder.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
                opened.add(folder);
            }
            Path file = names.get(names.size() - 1);
            BasicFileAttributes before = refuseLink(folder, file, shown);
            if (!before.isRegularFile()) {
                throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "attachment.path '" + shown + "' is not a file");
            }
            if (before.size() > maxBytes) {
                throw tooLarge();
            }
            try (SeekableByteChannel in = folder.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                copyCapped(Channels.newInputStream(in), target);
            } catch (CappedCopyException e) {
                throw tooLarge();
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "attachment.path '" + shown + "' does not exist");
        } catch (AccessDeniedException e) {
            throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "attachment.path '" + shown + "' cannot be read");
        } catch (FileSystemException e) {
            // ELOOP: a link appeared between the look and the open
            throw new CommandRejected(ATTACHMENT_FORBIDDEN, "attachment.path '" + shown
                    + "' leads through a link, which is not followed (BRIDGE_ATTACHMENT_DIR)");
        } catch (IOException e) {
            throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "attachment.path '" + shown + "' cannot be read");
        } finally {
            for (SecureDirectoryStream<Path> f : opened) {
                try {
                    f.close();
                } catch (IOException ignored) {
                    // read-only handles
                }
            }
        }
    }

    /** The path's names below the attachment folder, or the reason it may not be read. */
    private List<Path> namesBelowFolder(String requested) throws CommandRejected {
        if (dir.isEmpty()) {
            throw new CommandRejected(ATTACHMENT_FORBIDDEN, "attachment.path is refused: BRIDGE_ATTACHMENT_DIR is not set");
        }
        Path relative;
        try {
            Path p = Path.of(requested);
            if (p.isAbsolute()) {
                p = dir.get().relativize(p);
            }
            relative = p.normalize();
        } catch (RuntimeException e) {
            throw new CommandRejected(ATTACHMENT_FORBIDDEN, "attachment.path must be inside the attachment folder (BRIDGE_ATTACHMENT_DIR)");
        }
        if (relative.toString().isEmpty() || relative.isAbsolute() || relative.startsWith("..")) {
            throw new CommandRejected(ATTACHMENT_FORBIDDEN, "attachment.path must be inside the attachment folder (BRIDGE_ATTACHMENT_DIR)");
        }
        List<Path> names = new ArrayList<>();
        relative.forEach(names::add);
        return names;
    }

    /** The entry's own attributes; a link is refused, whatever it points to. */
    private static BasicFileAttributes refuseLink(SecureDirectoryStream<Path> folder, Path name, String shown)
            throws IOException, CommandRejected {
        BasicFileAttributes a = folder.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes();
        if (a.isSymbolicLink()) {
            throw new CommandRejected(ATTACHMENT_FORBIDDEN, "attachment.path '" + shown
                    + "' leads through a link, which is not followed (BRIDGE_ATTACHMENT_DIR)");
        }
        return a;
    }

    private static SecureDirectoryStream<Path> secure(DirectoryStream<Path> stream) throws IOException {
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        // Linux and macOS provide it; without it a link swapped in after a check could not be refused reliably
        throw new IOException("this platform cannot open files relative to a folder (no SecureDirectoryStream)");
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
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw tooSlow(uri);
            }
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(left)).GET().build();
            // the body goes to the file as it arrives, under the cap; the future completes once all of it is there
            AtomicBoolean overCap = new AtomicBoolean();
            CompletableFuture<HttpResponse<Long>> call = http.get().sendAsync(request,
                    info -> info.statusCode() == 200 ? new CappedFileSubscriber(target, maxBytes,
                            info.headers().firstValueAsLong("Content-Length").orElse(-1), overCap)
                            : HttpResponse.BodySubscribers.replacing(-1L));
            HttpResponse<Long> response;
            try {
                response = call.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                call.cancel(true);
                throw tooSlow(uri);
            } catch (InterruptedException e) {
                call.cancel(true);
                Thread.currentThread().interrupt();
                throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "Interrupted while fetching the attachment url");
            } catch (ExecutionException e) {
                if (overCap.get()) {
                    throw tooLarge(); // the client may report the cancelled stream rather than the reason
                }
                for (Throwable c = e.getCause(); c != null; c = c.getCause() == c ? null : c.getCause()) {
                    if (c instanceof CappedCopyException) {
                        throw tooLarge();
                    }
                    if (c instanceof java.net.http.HttpTimeoutException) {
                        throw tooSlow(uri);
                    }
                }
                throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "The attachment url " + safe(uri)
                        + " could not be fetched: " + e.getCause().getClass().getSimpleName());
            }
            int status = response.statusCode();
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
            return;
        }
        throw new CommandRejected(ATTACHMENT_UNAVAILABLE, "The attachment url redirects more than " + MAX_REDIRECTS + " times");
    }

    private CommandRejected tooSlow(URI uri) {
        return new CommandRejected(ATTACHMENT_UNAVAILABLE, "The attachment url " + safe(uri) + " did not download within "
                + timeout.toMillis() / 1000.0 + " s (BRIDGE_ATTACHMENT_TIMEOUT)");
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

    /** Writes a response body to a file as it arrives, giving up (and cancelling the download) beyond the cap. */
    private static final class CappedFileSubscriber implements HttpResponse.BodySubscriber<Long> {
        private final Path target;
        private final long maxBytes;
        private final long declared;
        private final AtomicBoolean overCap;
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private FileChannel out;
        private long total;

        CappedFileSubscriber(Path target, long maxBytes, long declared, AtomicBoolean overCap) {
            this.target = target;
            this.maxBytes = maxBytes;
            this.declared = declared;
            this.overCap = overCap;
        }

        @Override
        public CompletionStage<Long> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (declared > maxBytes) {
                overCap.set(true);
                fail(new CappedCopyException());
                return;
            }
            try {
                out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                fail(e);
                return;
            }
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            try {
                for (ByteBuffer b : buffers) {
                    total += b.remaining();
                    if (total > maxBytes) {
                        overCap.set(true);
                        fail(new CappedCopyException());
                        return;
                    }
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                }
                subscription.request(1);
            } catch (IOException e) {
                fail(e);
            }
        }

        @Override
        public void onError(Throwable t) {
            close();
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            close();
            result.complete(total);
        }

        private void fail(Throwable t) {
            subscription.cancel();
            close();
            result.completeExceptionally(t);
        }

        private void close() {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // the result says what went wrong
                }
            }
        }
    }

    private static final class CappedCopyException extends IOException {
        CappedCopyException() {
            super("size cap reached", null);
        }
    }
}
