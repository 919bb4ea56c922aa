package io.marketplacebridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class MultipartTest {

    @Test
    void quotedBoundaryPreambleAndPartsInOrder() {
        String boundary = Multipart.boundary("multipart/form-data; charset=utf-8; boundary=\"a b--c\"");
        assertEquals("a b--c", boundary);
        String body = "preamble\r\n--a b--c\r\nContent-Disposition: form-data; name=\"messageOptions\"\r\n\r\n4"
                + "\r\n--a b--c\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n--a b-\r\nbody\r\n--a b--c--\r\n";
        List<Multipart.Part> parts = Multipart.parse(body.getBytes(StandardCharsets.UTF_8), boundary);
        assertEquals(2, parts.size());
        assertEquals("messageOptions", parts.get(0).name());
        assertNull(parts.get(0).filename());
        assertEquals("4", parts.get(0).text());
        assertEquals("x.pdf", parts.get(1).filename());
        assertEquals("application/pdf", parts.get(1).contentType());
        assertEquals("--a b-\r\nbody", parts.get(1).text());
    }

    @Test
    void notMultipartHasNoBoundary() {
        assertNull(Multipart.boundary("application/json"));
        assertNull(Multipart.boundary(null));
    }

    @Test
    void malformedBodiesSayWhatIsWrong() {
        IllegalArgumentException unclosed = assertThrows(IllegalArgumentException.class, () -> Multipart.parse(
                "--b\r\nContent-Disposition: form-data; name=\"m\"\r\n\r\nhello".getBytes(StandardCharsets.UTF_8), "b"));
        assertTrue(unclosed.getMessage().contains("not closed"), unclosed.getMessage());
        IllegalArgumentException noName = assertThrows(IllegalArgumentException.class, () -> Multipart.parse(
                "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--".getBytes(StandardCharsets.UTF_8), "b"));
        assertTrue(noName.getMessage().contains("name"), noName.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Multipart.parse("no boundary".getBytes(), "b"));
    }
}
