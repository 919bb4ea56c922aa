package io.marketplacebridge.outbound;

import java.nio.charset.StandardCharsets;

import io.marketplacebridge.outbound.OutboundCommand.Action;
import io.marketplacebridge.outbound.OutboundCommand.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.marketplacebridge.outbound.ErrorCode.*;
import static org.junit.jupiter.api.Assertions.*;

class CommandValidatorTest {

    private final CommandValidator validator = new CommandValidator(2048, "77");

    private CommandValidator.Checked check(String json) {
        return validator.check(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private OutboundCommand valid(String json) {
        CommandValidator.Checked c = check(json);
        assertNull(c.rejection(), () -> "rejected: " + c.rejection().code() + " " + c.rejection().getMessage());
        return c.command();
    }

    private CommandRejected rejected(String json, ErrorCode expected) {
        CommandValidator.Checked c = check(json);
        assertNull(c.command(), "expected " + expected);
        assertEquals(expected, c.rejection().code(), c.rejection().getMessage());
        assertFalse(c.rejection().getMessage().isBlank());
        return c.rejection();
    }

    @Test
    void lectronzSendIsValid() {
        OutboundCommand c = valid("{\"id\":\"r1\",\"channel\":\"lectronz\",\"orderId\":123,\"content\":\"Hi\"}");
        assertEquals(Channel.LECTRONZ, c.channel());
        assertEquals(Action.SEND, c.action());
        assertEquals("123", c.orderIdText());
        assertEquals("r1", c.id());
    }

    @Test
    void markAsReadNeedsMessageId() {
        OutboundCommand c = valid("{\"channel\":\"lectronz\",\"action\":\"mark_as_read\",\"messageId\":55}");
        assertEquals("55", c.messageId());
        assertNull(c.id());
        assertTrue(rejected("{\"channel\":\"lectronz\",\"action\":\"mark_as_read\"}", MISSING_FIELD).getMessage().contains("messageId"));
    }

    @Test
    void alepheeDefaults() {
        OutboundCommand c = valid("{\"channel\":\"alephee\",\"orderId\":\"900123\",\"content\":\"Hola\"}");
        assertEquals(4, c.reason());
        assertEquals("77", c.accountId());
        OutboundCommand other = valid("{\"channel\":\"alephee\",\"orderId\":900123,\"content\":\"Hola\",\"accountId\":88}");
        assertEquals("88", other.accountId());
    }

    @ParameterizedTest
    @CsvSource({"REQUEST_VARIANTS,1", "request_billing_info,2", "SEND_INVOICE_LINK,3", "OTHER,4", "DELIVERY_PROMISE,5", "'3',3", "5,5"})
    void reasonsByNameOrNumber(String reason, int expected) {
        String r = reason.matches("\\d") && !reason.startsWith("'") ? reason : "\"" + reason.replace("'", "") + "\"";
        String content = expected <= 2 ? "" : ",\"content\":\"x\"";
        assertEquals(expected, valid("{\"channel\":\"alephee\",\"orderId\":1,\"reason\":" + r + content + "}").reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "6", "\"NOPE\"", "-1", "2.5", "\"\""})
    void invalidReason(String reason) {
        rejected("{\"channel\":\"alephee\",\"orderId\":1,\"content\":\"x\",\"reason\":" + reason + "}", INVALID_REASON);
    }

    @Test
    void anIdOfAtMost200Characters() {
        String longest = "i".repeat(CommandValidator.MAX_ID_LENGTH);
        assertEquals(longest, valid("""
                {"id":"%s","channel":"lectronz","orderId":1,"content":"x"}""".formatted(longest)).id());
        CommandRejected r = rejected("""
                {"id":"%s","channel":"lectronz","orderId":1,"content":"x"}""".formatted(longest + "i"), MALFORMED_COMMAND);
        assertTrue(r.getMessage().contains("201 characters"), r.getMessage());
        assertNull(check("""
                {"id":"%s","channel":"fax"}""".formatted(longest + "i")).echo().id(), "a too-long id is not echoed");
        assertEquals("short", check("""
                {"id":"short","channel":"fax"}""").echo().id());
    }

    @Test
    void malformed() {
        rejected(null, MALFORMED_COMMAND);
        rejected("not json", MALFORMED_COMMAND);
        rejected("[1,2]", MALFORMED_COMMAND);
        rejected("\"text\"", MALFORMED_COMMAND);
        rejected("{\"channel\":\"lectronz\"} trailing", MALFORMED_COMMAND);
        rejected("{\"channel\":\"lectronz\",\"channel\":\"alephee\"}", MALFORMED_COMMAND);
        rejected("{\"channel\":5,\"orderId\":1,\"content\":\"x\"}", MALFORMED_COMMAND);
        rejected("{\"channel\":\"lectronz\",\"orderId\":{\"a\":1},\"content\":\"x\"}", MALFORMED_COMMAND);
        rejected("{\"channel\":\"lectronz\",\"orderId\":1,\"content\":[\"x\"]}", MALFORMED_COMMAND);
        rejected("{\"channel\":\"alephee\",\"orderId\":1,\"content\":\"x\",\"attachment\":\"file.pdf\"}", MALFORMED_COMMAND);
        rejected("{\"id\":\" \",\"channel\":\"lectronz\",\"orderId\":1,\"content\":\"x\"}", MALFORMED_COMMAND);
        assertEquals(MALFORMED_COMMAND, validator.check(new byte[] {(byte) 0xff, 0, 1, 2, (byte) 0xc3}).rejection().code());
    }

    @Test
    void deeplyNestedIsMalformedNotACrash() {
        String deep = "{\"a\":".repeat(500) + "1" + "}".repeat(500);
        assertEquals(MALFORMED_COMMAND, new CommandValidator(1 << 20, "77").check(deep.getBytes(StandardCharsets.UTF_8)).rejection().code());
    }

    @Test
    void tooLarge() {
        String big = "{\"channel\":\"lectronz\",\"orderId\":1,\"content\":\"" + "x".repeat(3000) + "\"}";
        assertTrue(rejected(big, COMMAND_TOO_LARGE).getMessage().contains("2048"));
    }

    @Test
    void channelAndAction() {
        rejected("{\"orderId\":1,\"content\":\"x\"}", MISSING_FIELD);
        rejected("{\"channel\":\"ebay\",\"orderId\":1,\"content\":\"x\"}", UNKNOWN_CHANNEL);
        rejected("{\"channel\":\"lectronz\",\"action\":\"delete\",\"orderId\":1}", UNKNOWN_ACTION);
        rejected("{\"channel\":\"alephee\",\"action\":\"mark_as_read\",\"messageId\":1}", UNKNOWN_ACTION);
    }

    @Test
    void missingOrderIdIsNamed() {
        assertTrue(rejected("{\"channel\":\"alephee\",\"content\":\"x\"}", MISSING_FIELD).getMessage().contains("orderId"));
        assertTrue(rejected("{\"channel\":\"lectronz\",\"content\":\"x\"}", MISSING_FIELD).getMessage().contains("orderId"));
    }

    @Test
    void contentRules() {
        rejected("{\"channel\":\"lectronz\",\"orderId\":1}", CONTENT_REQUIRED);
        rejected("{\"channel\":\"lectronz\",\"orderId\":1,\"content\":\"  \"}", CONTENT_REQUIRED);
        rejected("{\"channel\":\"alephee\",\"orderId\":1}", CONTENT_REQUIRED);
        rejected("{\"channel\":\"alephee\",\"orderId\":1,\"reason\":\"DELIVERY_PROMISE\"}", CONTENT_REQUIRED);
        rejected("{\"channel\":\"alephee\",\"orderId\":1,\"reason\":1,\"content\":\"hi\"}", CONTENT_NOT_ALLOWED);
        rejected("{\"channel\":\"alephee\",\"orderId\":1,\"reason\":\"REQUEST_BILLING_INFO\",\"content\":\"hi\"}", CONTENT_NOT_ALLOWED);
        assertNull(valid("{\"channel\":\"alephee\",\"orderId\":1,\"reason\":2}").content());
    }

    @Test
    void alepheeContentCountsCodePoints() {
        String emoji = "\uD83D\uDE00"; // one code point, two chars
        valid("{\"channel\":\"alephee\",\"orderId\":1,\"content\":\"" + emoji.repeat(350) + "\"}");
        assertTrue(rejected("{\"channel\":\"alephee\",\"orderId\":1,\"content\":\"" + "a".repeat(351) + "\"}", CONTENT_TOO_LONG)
                .getMessage().contains("351"));
    }

    @Test
    void attachments() {
        String base = "{\"channel\":\"alephee\",\"orderId\":1,\"content\":\"x\",\"attachment\":";
        OutboundCommand c = valid(base + "{\"base64\":\"aGVsbG8=\",\"filename\":\"invoice-1.pdf\"}}");
        assertEquals("invoice-1", c.attachment().documentName());
        assertEquals("pdf", c.attachment().documentExtension());
        OutboundCommand named = valid(base + "{\"url\":\"https://h/x\",\"filename\":\"a.pdf\",\"documentName\":\"Factura\",\"documentExtension\":\".PDF\"}}");
        assertEquals("Factura", named.attachment().documentName());
        assertEquals("PDF", named.attachment().documentExtension());
        rejected("{\"channel\":\"lectronz\",\"orderId\":1,\"content\":\"x\",\"attachment\":{\"base64\":\"aGk=\",\"filename\":\"a.txt\"}}", ATTACHMENT_NOT_SUPPORTED);
        rejected(base + "{\"filename\":\"a.pdf\"}}", ATTACHMENT_INVALID);
        rejected(base + "{\"url\":\"https://h/x\",\"base64\":\"aGk=\",\"filename\":\"a.pdf\"}}", ATTACHMENT_INVALID);
        rejected(base + "{\"base64\":\"not base64!\",\"filename\":\"a.pdf\"}}", ATTACHMENT_INVALID);
        rejected(base + "{\"base64\":\"aGk\",\"filename\":\"a.pdf\"}}", ATTACHMENT_INVALID);
        rejected(base + "{\"base64\":\"aGk=\"}}", ATTACHMENT_INVALID);
        rejected(base + "{\"base64\":\"aGk=\",\"filename\":\"noextension\"}}", ATTACHMENT_INVALID);
        rejected(base + "{\"base64\":\"aGk=\",\"filename\":\"../etc/passwd.pdf\"}}", ATTACHMENT_INVALID);
        rejected(base + "{\"base64\":\"aGk=\",\"filename\":\"a\\u0000.pdf\"}}", ATTACHMENT_INVALID);
        rejected(base + "{\"base64\":5,\"filename\":\"a.pdf\"}}", ATTACHMENT_INVALID);
    }

    @Test
    void echoKeepsWhatCouldBeRead() {
        CommandValidator.Checked c = check("{\"id\":\"x-1\",\"channel\":\"alephee\",\"orderId\":42,\"reason\":9,\"content\":\"a\"}");
        assertEquals(INVALID_REASON, c.rejection().code());
        assertEquals("x-1", c.echo().id());
        assertEquals("alephee", c.echo().channel());
        assertEquals(42, c.echo().orderId().asInt());
    }

    private static final io.marketplacebridge.config.Accounts ACCOUNTS = new io.marketplacebridge.config.Accounts(
            java.util.List.of(
                    new io.marketplacebridge.config.Accounts.Account("default",
                            new io.marketplacebridge.config.Accounts.Lectronz("https://l", "t", null),
                            new io.marketplacebridge.config.Accounts.Alephee("k", "77")),
                    new io.marketplacebridge.config.Accounts.Account("shop-mx", null,
                            new io.marketplacebridge.config.Accounts.Alephee("k-mx", "88"))), true);

    @Test
    void givenNoAccountFieldThenTheAccountIsDefault() {
        CommandValidator.Checked c = new CommandValidator(2048, ACCOUNTS).check("""
                {"channel":"lectronz","orderId":1,"content":"Hi"}""".getBytes(StandardCharsets.UTF_8));
        assertEquals("default", c.command().account());
    }

    @Test
    void givenAnAccountThenItsAlepheeAccountIdIsTheDefaultAccountId() {
        CommandValidator.Checked c = new CommandValidator(2048, ACCOUNTS).check("""
                {"account":"shop-mx","channel":"alephee","orderId":1,"content":"Hi"}""".getBytes(StandardCharsets.UTF_8));
        assertEquals("shop-mx", c.command().account());
        assertEquals("88", c.command().accountId());
        CommandValidator.Checked explicit = new CommandValidator(2048, ACCOUNTS).check("""
                {"account":"shop-mx","channel":"alephee","orderId":1,"content":"Hi","accountId":99}""".getBytes(StandardCharsets.UTF_8));
        assertEquals("99", explicit.command().accountId());
    }

    @Test
    void givenAnUnknownAccountOrOneWithoutTheChannelThenUnknownAccount() {
        CommandValidator accounts = new CommandValidator(2048, ACCOUNTS);
        CommandValidator.Checked unknown = accounts.check("""
                {"account":"shop-xx","channel":"alephee","orderId":1,"content":"Hi"}""".getBytes(StandardCharsets.UTF_8));
        assertEquals(UNKNOWN_ACCOUNT, unknown.rejection().code());
        assertTrue(unknown.rejection().getMessage().contains("'shop-xx'"), unknown.rejection().getMessage());
        CommandValidator.Checked noLectronz = accounts.check("""
                {"account":"shop-mx","channel":"lectronz","orderId":1,"content":"Hi"}""".getBytes(StandardCharsets.UTF_8));
        assertEquals(UNKNOWN_ACCOUNT, noLectronz.rejection().code());
        assertEquals(MALFORMED_COMMAND, accounts.check("""
                {"account":7,"channel":"lectronz","orderId":1,"content":"Hi"}""".getBytes(StandardCharsets.UTF_8)).rejection().code());
    }
}
