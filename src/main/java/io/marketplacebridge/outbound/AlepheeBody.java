package io.marketplacebridge.outbound;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketplacebridge.config.BridgeSettings.BodyFormat;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * The body of an Alephee send-message request (SPEC section 2), as a repeatable HTTP entity that
 * streams the document from disk: for {@code json}, the base64 text is produced while writing, so a
 * 10 MB document is never held in memory; for {@code multipart}, the file is a file part.
 */
public final class AlepheeBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlepheeBody() {
    }

    public static HttpEntity of(BodyFormat format, OutboundCommand command, AttachmentResolver.Resolved document) {
        return format == BodyFormat.MULTIPART ? multipart(command, document) : json(command, document);
    }

    static HttpEntity json(OutboundCommand command, AttachmentResolver.Resolved document) {
        ObjectNode fields = JSON.createObjectNode();
        if (command.content() != null) {
            fields.put("message", command.content());
        }
        fields.put("messageOptions", command.reason());
        if (document == null) {
            return new StringEntity(fields.toString(), ContentType.APPLICATION_JSON);
        }
        fields.put("documentName", document.documentName());
        fields.put("documentExtension", document.documentExtension());
        // {...fields, "fileBase64":"<streamed>"}: drop the closing brace, append the document, close again
        String head = fields.toString();
        byte[] prefix = (head.substring(0, head.length() - 1) + ",\"fileBase64\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}".getBytes(StandardCharsets.UTF_8);
        return new Base64JsonEntity(prefix, document, suffix);
    }

    static HttpEntity multipart(OutboundCommand command, AttachmentResolver.Resolved document) {
        ContentType text = ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8);
        MultipartEntityBuilder b = MultipartEntityBuilder.create().setMode(HttpMultipartMode.EXTENDED)
                .setCharset(StandardCharsets.UTF_8);
        if (command.content() != null) {
            b.addTextBody("message", command.content(), text);
        }
        b.addTextBody("messageOptions", String.valueOf(command.reason()), text);
        if (document != null) {
            b.addTextBody("documentName", document.documentName(), text);
            b.addTextBody("documentExtension", document.documentExtension(), text);
            b.addBinaryBody("file", document.file().toFile(), ContentType.APPLICATION_OCTET_STREAM,
                    document.documentName() + "." + document.documentExtension());
        }
        return b.build();
    }

    /** JSON whose {@code fileBase64} value is encoded from the file while the request is written. */
    static final class Base64JsonEntity extends AbstractHttpEntity {
        private final byte[] prefix;
        private final AttachmentResolver.Resolved document;
        private final byte[] suffix;

        Base64JsonEntity(byte[] prefix, AttachmentResolver.Resolved document, byte[] suffix) {
            super(ContentType.APPLICATION_JSON, null);
            this.prefix = prefix;
            this.document = document;
            this.suffix = suffix;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(prefix);
            try (OutputStream base64 = Base64.getEncoder().wrap(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush(); // the encoder writes its last block on close; the request stream stays open
                }
            })) {
                Files.copy(document.file(), base64);
            }
            out.write(suffix);
            out.flush();
        }

        @Override
        public long getContentLength() {
            return prefix.length + 4 * ((document.size() + 2) / 3) + suffix.length;
        }

        @Override
        public InputStream getContent() {
            throw new UnsupportedOperationException("written as a stream only");
        }

        @Override
        public boolean isRepeatable() {
            return true; // re-read from the file on every attempt
        }

        @Override
        public boolean isStreaming() {
            return false;
        }

        @Override
        public void close() {
            // the file belongs to the Resolved document
        }
    }
}
