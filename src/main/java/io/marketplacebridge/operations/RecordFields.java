package io.marketplacebridge.operations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** What the commands read from a record: a header as text, and the id a command goes by (SPEC 5). */
final class RecordFields {

    // streaming: only the top-level "id" is wanted, whatever else the bytes hold
    private static final JsonFactory JSON = new JsonFactory();

    private RecordFields() {
    }

    /** The last value of a header as UTF-8 text; null when absent. */
    static String header(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The command's own top-level string {@code id}; null when absent, not a string, or the value is not a JSON object. */
    static String ownId(byte[] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken token = p.nextToken();
                if ("id".equals(field)) {
                    return token == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // not JSON: the command goes by its default id
        }
    }

    static String defaultId(String topic, String partition, String offset) {
        return topic == null || partition == null || offset == null ? null : topic + "-" + partition + "-" + offset;
    }
}
