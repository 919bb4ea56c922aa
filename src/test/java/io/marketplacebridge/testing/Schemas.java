package io.marketplacebridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The published JSON Schemas ({@code src/main/resources/schemas}, shipped in the jar) as test assertions:
 * every record a test produces or consumes can be checked against the schema its consumers rely on.
 * {@code format} (date-time, uri) is asserted, not just annotated.
 */
public final class Schemas {

    /** Inbound record values: the Lectronz message as {@code GET /messages/{id}} returns it. */
    public static final Schema INBOUND = load("schemas/inbound-message.schema.json");
    /** Reply commands on the outbound topic. */
    public static final Schema COMMAND = load("schemas/command.schema.json");
    /** Results on the results topic. */
    public static final Schema RESULT = load("schemas/result.schema.json");

    // strict as a careful consumer reads: one value per record, no duplicate names
    private static final ObjectMapper STRICT = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Schemas() {
    }

    public static void assertValidInbound(byte[] value) {
        assertValid(INBOUND, "inbound record", value);
    }

    public static void assertValidCommand(byte[] value) {
        assertValid(COMMAND, "command", value);
    }

    public static void assertValidResult(byte[] value) {
        assertValid(RESULT, "result", value);
    }

    /** What is wrong with {@code value} under {@code schema}: empty when valid, the parse error when not JSON. */
    public static List<String> problems(Schema schema, byte[] value) {
        JsonNode node;
        try (JsonParser parser = STRICT.createParser(value)) {
            node = STRICT.readTree(parser);
        } catch (IOException | RuntimeException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        if (node == null) {
            return List.of("not JSON: no value");
        }
        List<Error> errors = schema.validate(node, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)));
        return errors.stream().map(Error::toString).toList();
    }

    private static void assertValid(Schema schema, String what, byte[] value) {
        if (value == null) {
            throw new AssertionError(what + " has no value");
        }
        List<String> problems = problems(schema, value);
        if (!problems.isEmpty()) {
            throw new AssertionError(what + " does not match its schema: " + problems + "\n"
                    + new String(value, StandardCharsets.UTF_8));
        }
    }

    private static Schema load(String resource) {
        try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
