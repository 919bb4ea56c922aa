package io.marketplacebridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.marketplacebridge.testing.Schemas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published command schema and {@link CommandValidator} agree on one shared corpus
 * ({@code src/test/resources/commands}): every file in {@code valid/} is accepted by both, every file in
 * {@code invalid/} is refused by both, the validator with the code the file name starts with.
 *
 * <p>Kept out of the corpus, because the two cannot agree by design:
 * <ul>
 *   <li>rules that depend on the deployment, which only the bridge knows: an unknown {@code account}
 *       (UNKNOWN_ACCOUNT), COMMAND_TOO_LARGE (BRIDGE_OUTBOUND_MAX_COMMAND_BYTES), attachment {@code url} hosts
 *       and {@code path} folders (ATTACHMENT_FORBIDDEN / ATTACHMENT_UNAVAILABLE, checked by AttachmentResolver
 *       when the attachment is fetched);</li>
 *   <li>spellings the validator tolerates but the schema does not publish, so producers are not invited to
 *       use them: reason as a lower-case name or a numeric string ("other", "3"), base64 wrapped in
 *       whitespace, an http:// attachment url (refused later as ATTACHMENT_FORBIDDEN), documentName plus
 *       documentExtension without filename, empty attachment fields;</li>
 *   <li>rules the validator does not check yet: an {@code id} longer than 200 characters, and an
 *       {@code account} name outside [a-z0-9-]{1,40} (the schema refuses both; the validator accepts them
 *       today).</li>
 * </ul>
 */
class CommandSchemaAgreementTest {

    private final CommandValidator validator = new CommandValidator(1024 * 1024, "77");

    static Stream<Path> validCommands() throws IOException {
        return corpus("valid");
    }

    static Stream<Path> invalidCommands() throws IOException {
        return corpus("invalid");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCommands")
    void givenAValidCommand_whenChecked_thenSchemaAndValidatorBothAccept(Path file) throws IOException {
        byte[] command = Files.readAllBytes(file);

        Schemas.assertValidCommand(command);
        CommandValidator.Checked checked = validator.check(command);
        assertNull(checked.rejection(), () -> "validator refused " + file.getFileName() + ": " + checked.rejection());
        assertNotNull(checked.command());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCommands")
    void givenAnInvalidCommand_whenChecked_thenSchemaRefusesAndValidatorGivesTheCodeOfTheFileName(Path file) throws IOException {
        byte[] command = Files.readAllBytes(file);
        String expectedCode = file.getFileName().toString().substring(0, file.getFileName().toString().indexOf('-'));

        List<String> schemaProblems = Schemas.problems(Schemas.COMMAND, command);
        CommandValidator.Checked checked = validator.check(command);

        assertFalse(schemaProblems.isEmpty(), () -> "the schema accepted " + file.getFileName());
        assertNotNull(checked.rejection(), () -> "the validator accepted " + file.getFileName());
        assertEquals(ErrorCode.valueOf(expectedCode), checked.rejection().code(), checked.rejection().getMessage());
    }

    @Test
    void theCorpusCoversEveryCodeTheValidatorAloneDecides() throws IOException {
        List<String> covered;
        try (Stream<Path> files = invalidCommands()) {
            covered = files.map(p -> p.getFileName().toString().split("-")[0]).distinct().toList();
        }
        for (String code : List.of("MALFORMED_COMMAND", "MISSING_FIELD", "UNKNOWN_CHANNEL", "UNKNOWN_ACTION",
                "CONTENT_REQUIRED", "CONTENT_TOO_LONG", "CONTENT_NOT_ALLOWED", "INVALID_REASON",
                "ATTACHMENT_NOT_SUPPORTED", "ATTACHMENT_INVALID")) {
            assertTrue(covered.contains(code), code + " has no invalid command in the corpus");
        }
    }

    private static Stream<Path> corpus(String folder) throws IOException {
        try {
            Path dir = Path.of(CommandSchemaAgreementTest.class.getResource("/commands/" + folder).toURI());
            return Files.list(dir).filter(p -> p.toString().endsWith(".json")).sorted();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
