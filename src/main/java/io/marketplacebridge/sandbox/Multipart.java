package io.marketplacebridge.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal multipart/form-data reader (RFC 7578) for the Alephee sandbox: parts with their name, optional
 * filename, content type and raw bytes. Enough for what HTTP clients send; the JDK has no parser and the
 * runtime classpath has none worth a dependency.
 */
final class Multipart {

    private static final Pattern PARAM = Pattern.compile("(?i)(\\w+)\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]+))");
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    record Part(String name, String filename, String contentType, byte[] content) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private Multipart() {
    }

    /** The boundary of a {@code multipart/form-data; boundary=...} content type, or null. */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        return parameter(contentType, "boundary");
    }

    /** The parts of a body; IllegalArgumentException naming what is malformed. */
    static List<Part> parse(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] nextDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw new IllegalArgumentException("multipart body has no boundary line");
        }
        List<Part> parts = new ArrayList<>();
        int pos = at + delimiter.length;
        while (true) {
            if (startsWith(body, pos, new byte[] {'-', '-'})) {
                return parts;
            }
            pos = skipLine(body, pos);
            int headersEnd = indexOf(body, HEADER_END, pos);
            if (headersEnd < 0) {
                throw new IllegalArgumentException("multipart part has no end of headers");
            }
            String headers = new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8);
            int contentStart = headersEnd + HEADER_END.length;
            int contentEnd = indexOf(body, nextDelimiter, contentStart);
            if (contentEnd < 0) {
                throw new IllegalArgumentException("multipart body is not closed by its boundary");
            }
            parts.add(part(headers, Arrays.copyOfRange(body, contentStart, contentEnd)));
            pos = contentEnd + nextDelimiter.length;
        }
    }

    private static Part part(String headers, byte[] content) {
        String disposition = null;
        String type = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (name.equals("content-disposition")) {
                disposition = line.substring(colon + 1).trim();
            } else if (name.equals("content-type")) {
                type = line.substring(colon + 1).trim();
            }
        }
        String partName = disposition == null ? null : parameter(disposition, "name");
        if (partName == null) {
            throw new IllegalArgumentException("multipart part without Content-Disposition name");
        }
        return new Part(partName, parameter(disposition, "filename"), type, content);
    }

    private static String parameter(String header, String name) {
        Matcher m = PARAM.matcher(header);
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase(name)) {
                return m.group(2) != null ? m.group(2) : m.group(3);
            }
        }
        return null;
    }

    private static int skipLine(byte[] body, int pos) {
        int eol = indexOf(body, CRLF, pos);
        if (eol < 0) {
            throw new IllegalArgumentException("multipart boundary line is not terminated");
        }
        return eol + CRLF.length;
    }

    private static boolean startsWith(byte[] body, int pos, byte[] prefix) {
        if (pos + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[pos + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] body, byte[] needle, int from) {
        for (int i = Math.max(0, from); i <= body.length - needle.length; i++) {
            if (body[i] == needle[0] && startsWith(body, i, needle)) {
                return i;
            }
        }
        return -1;
    }
}
