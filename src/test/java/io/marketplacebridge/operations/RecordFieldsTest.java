package io.marketplacebridge.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RecordFieldsTest {

    private static String ownId(String value) {
        return RecordFields.ownId(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theCommandsOwnIdIsItsTopLevelStringId() {
        assertEquals("reply-42", ownId("""
                {"channel":"alephee","attachment":{"id":"not-this-one","base64":"QUJD"},"id":"reply-42"}"""));
        assertEquals("x".repeat(200), ownId("""
                {"id":"%s"}""".formatted("x".repeat(200))), "a long id is matched whole");
    }

    @Test
    void noOwnIdWhenAbsentNotAStringOrNotAJsonObject() {
        assertNull(ownId("""
                {"channel":"lectronz","subject":{"id":"nested"}}"""));
        assertNull(ownId("""
                {"id":42}"""));
        assertNull(ownId("""
                ["id","reply-42"]"""));
        assertNull(ownId("not json at all"));
        assertNull(ownId(""));
        assertNull(ownId(null));
    }

    @Test
    void theDefaultIdNeedsAllThreeCoordinates() {
        assertEquals("marketplace.outbound-3-17", RecordFields.defaultId("marketplace.outbound", "3", "17"));
        assertNull(RecordFields.defaultId("marketplace.outbound", null, "17"));
    }
}
