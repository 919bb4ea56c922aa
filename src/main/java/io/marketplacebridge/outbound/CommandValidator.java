package io.marketplacebridge.outbound;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketplacebridge.config.Accounts;
import io.marketplacebridge.outbound.OutboundCommand.Action;
import io.marketplacebridge.outbound.OutboundCommand.AttachmentSpec;
import io.marketplacebridge.outbound.OutboundCommand.Channel;

import static io.marketplacebridge.outbound.ErrorCode.*;

/**
 * Turns the bytes of a command record into an {@link OutboundCommand}, or says precisely what is wrong
 * with it (SPEC sections 5 and 6). Pure: no I/O; attachment sources are checked later by
 * {@link AttachmentResolver}.
 */
public final class CommandValidator {

    /** Alephee's longest message, in Unicode code points. */
    public static final int ALEPHEE_MAX_CONTENT = 350;
    /** Longest command {@code id} (SPEC 5): it is echoed in results and keys the delivered-id state. */
    public static final int MAX_ID_LENGTH = 200;
    /** Alephee {@code messageOptions} by name; 1 and 2 are fixed templates without free text. */
    static final Map<String, Integer> REASONS = Map.of("REQUEST_VARIANTS", 1, "REQUEST_BILLING_INFO", 2,
            "SEND_INVOICE_LINK", 3, "OTHER", 4, "DELIVERY_PROMISE", 5);
    static final int DEFAULT_REASON = 4;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final int maxCommandBytes;
    private final Accounts accounts;

    public CommandValidator(int maxCommandBytes, Accounts accounts) {
        this.maxCommandBytes = maxCommandBytes;
        this.accounts = accounts;
    }

    /** With the one account {@code default}: an Alephee key (any) with this default account id. */
    public CommandValidator(int maxCommandBytes, String defaultAccountId) {
        this(maxCommandBytes, new Accounts(List.of(new Accounts.Account(Accounts.DEFAULT,
                new Accounts.Lectronz(null, null, null), new Accounts.Alephee(null, defaultAccountId))), false));
    }

    /** What the command says about itself, as far as it could be read; copied into its result. */
    public record Echo(String id, String channel, String action, JsonNode orderId) {
        static final Echo NONE = new Echo(null, null, null, null);
    }

    /** Either a command or the reason it was refused, plus the echo for the result. */
    public record Checked(OutboundCommand command, CommandRejected rejection, Echo echo) {
    }

    public Checked check(byte[] value) {
        if (value == null || value.length == 0) {
            return new Checked(null, new CommandRejected(MALFORMED_COMMAND, "The command record has no value; expected a JSON object"), Echo.NONE);
        }
        if (value.length > maxCommandBytes) {
            return new Checked(null, new CommandRejected(COMMAND_TOO_LARGE, "The command is " + value.length
                    + " bytes; the largest accepted is " + maxCommandBytes
                    + " bytes (BRIDGE_OUTBOUND_MAX_COMMAND_BYTES). Send large attachments by url or path"), Echo.NONE);
        }
        JsonNode root;
        try (JsonParser parser = JSON.createParser(value)) {
            root = JSON.readTree(parser);
        } catch (IOException | RuntimeException e) {
            return new Checked(null, new CommandRejected(MALFORMED_COMMAND, "The command is not valid JSON: "
                    + firstLine(e.getMessage())), Echo.NONE);
        }
        if (root == null || !root.isObject()) {
            return new Checked(null, new CommandRejected(MALFORMED_COMMAND, "The command must be a JSON object, got "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(Locale.ROOT))), Echo.NONE);
        }
        JsonNode idNode = root.get("id");
        // an id is echoed whole or not at all: a cut id would name another command
        String echoId = idNode != null && idNode.isTextual() && idNode.asText().length() <= MAX_ID_LENGTH ? idNode.asText() : null;
        Echo echo = new Echo(echoId, textOrNull(root.get("channel")), textOrNull(root.get("action")),
                root.get("orderId") != null && (root.get("orderId").isIntegralNumber() || root.get("orderId").isTextual())
                        ? root.get("orderId") : null);
        try {
            return new Checked(parse(root), null, echo);
        } catch (CommandRejected r) {
            return new Checked(null, r, echo);
        }
    }

    private OutboundCommand parse(JsonNode root) throws CommandRejected {
        String id = optionalText(root, "id");
        if (id != null && id.isBlank()) {
            throw new CommandRejected(MALFORMED_COMMAND, "Field 'id' must not be blank; leave it out to use <topic>-<partition>-<offset>");
        }
        if (id != null && id.length() > MAX_ID_LENGTH) {
            throw new CommandRejected(MALFORMED_COMMAND, "Field 'id' is " + id.length() + " characters long; at most "
                    + MAX_ID_LENGTH + " are allowed");
        }
        String channelName = optionalText(root, "channel");
        if (channelName == null) {
            throw new CommandRejected(MISSING_FIELD, "Field 'channel' is required: lectronz or alephee");
        }
        Channel channel = switch (channelName) {
            case "lectronz" -> Channel.LECTRONZ;
            case "alephee" -> Channel.ALEPHEE;
            default -> throw new CommandRejected(UNKNOWN_CHANNEL, "Unknown channel '" + shorten(channelName) + "'; use lectronz or alephee");
        };
        String actionName = optionalText(root, "action");
        Action action = switch (actionName == null ? "send" : actionName) {
            case "send" -> Action.SEND;
            case "mark_as_read" -> Action.MARK_AS_READ;
            default -> throw new CommandRejected(UNKNOWN_ACTION, "Unknown action '" + shorten(actionName) + "'; use send or mark_as_read");
        };
        if (action == Action.MARK_AS_READ && channel != Channel.LECTRONZ) {
            throw new CommandRejected(UNKNOWN_ACTION, "Action mark_as_read exists only for channel lectronz");
        }
        Accounts.Account account = account(root, channel);
        JsonNode orderId = optionalId(root, "orderId");
        String messageId = optionalId(root, "messageId") == null ? null : root.get("messageId").asText();
        String content = optionalText(root, "content");
        JsonNode reasonNode = root.get("reason");
        if (reasonNode != null && !reasonNode.isNull() && !reasonNode.isTextual() && !reasonNode.isNumber()) {
            throw new CommandRejected(MALFORMED_COMMAND, "Field 'reason' must be a name or a number 1..5");
        }
        JsonNode accountNode = optionalId(root, "accountId");
        JsonNode attachmentNode = root.get("attachment");
        if (attachmentNode != null && !attachmentNode.isNull() && !attachmentNode.isObject()) {
            throw new CommandRejected(MALFORMED_COMMAND, "Field 'attachment' must be an object with url, path or base64, and filename");
        }
        boolean hasAttachment = attachmentNode != null && !attachmentNode.isNull();

        if (action == Action.MARK_AS_READ) {
            if (messageId == null) {
                throw new CommandRejected(MISSING_FIELD, "Field 'messageId' is required for mark_as_read");
            }
            if (hasAttachment) {
                throw new CommandRejected(ATTACHMENT_NOT_SUPPORTED, "Lectronz does not accept attachments");
            }
            return new OutboundCommand(id, channel, action, orderId, messageId, null, 0, null, null, account.name());
        }
        if (orderId == null) {
            throw new CommandRejected(MISSING_FIELD, "Field 'orderId' is required for send");
        }
        if (channel == Channel.LECTRONZ) {
            if (hasAttachment) {
                throw new CommandRejected(ATTACHMENT_NOT_SUPPORTED, "Lectronz does not accept attachments on messages; send a link in the content instead");
            }
            if (content == null || content.isBlank()) {
                throw new CommandRejected(CONTENT_REQUIRED, "Field 'content' is required for a Lectronz message");
            }
            return new OutboundCommand(id, channel, action, orderId, null, content, 0, null, null, account.name());
        }
        int reason = reason(reasonNode);
        boolean template = reason == 1 || reason == 2;
        boolean hasContent = content != null && !content.isBlank();
        if (template && content != null && !content.isEmpty()) {
            throw new CommandRejected(CONTENT_NOT_ALLOWED, "Reason " + nameOf(reason)
                    + " sends a fixed template; leave 'content' out");
        }
        if (!template && !hasContent) {
            throw new CommandRejected(CONTENT_REQUIRED, "Field 'content' is required for reason " + nameOf(reason));
        }
        if (hasContent) {
            int length = content.codePointCount(0, content.length());
            if (length > ALEPHEE_MAX_CONTENT) {
                throw new CommandRejected(CONTENT_TOO_LONG, "Field 'content' has " + length
                        + " characters; Alephee accepts at most " + ALEPHEE_MAX_CONTENT);
            }
        }
        String accountId = accountNode == null ? account.alephee().accountId() : accountNode.asText();
        AttachmentSpec attachment = hasAttachment ? attachment(attachmentNode) : null;
        return new OutboundCommand(id, channel, action, orderId, null, hasContent ? content : null, reason, accountId,
                attachment, account.name());
    }

    /** The command's {@code account} (default {@code default}), which must exist and have the channel's credentials. */
    private Accounts.Account account(JsonNode root, Channel channel) throws CommandRejected {
        JsonNode node = root.get("account");
        if (node != null && !node.isNull() && !node.isTextual()) {
            throw new CommandRejected(MALFORMED_COMMAND, "Field 'account' must be an account name (text)");
        }
        String name = node == null || node.isNull() ? Accounts.DEFAULT : node.asText();
        Accounts.Account account = accounts.find(name).orElseThrow(() -> new CommandRejected(UNKNOWN_ACCOUNT,
                "Unknown account '" + shorten(name) + "'; this bridge serves " + String.join(", ",
                        accounts.all().stream().map(Accounts.Account::name).toList())));
        boolean served = channel == Channel.LECTRONZ ? account.hasLectronz() : account.hasAlephee();
        if (!served) {
            throw new CommandRejected(UNKNOWN_ACCOUNT, "Account '" + name + "' has no "
                    + (channel == Channel.LECTRONZ ? "lectronz" : "alephee") + " credentials");
        }
        return account;
    }

    static int reason(JsonNode node) throws CommandRejected {
        if (node == null || node.isNull()) {
            return DEFAULT_REASON;
        }
        if (node.isIntegralNumber() || node.isTextual() && node.asText().trim().matches("\\d{1,3}")) {
            int n = node.isIntegralNumber() ? node.asInt() : Integer.parseInt(node.asText().trim());
            if (n >= 1 && n <= 5 && (!node.isIntegralNumber() || node.canConvertToInt())) {
                return n;
            }
        } else if (node.isTextual()) {
            Integer n = REASONS.get(node.asText().trim().toUpperCase(Locale.ROOT));
            if (n != null) {
                return n;
            }
        }
        throw new CommandRejected(INVALID_REASON, "Unknown reason '" + shorten(node.asText())
                + "'; use 1..5 or one of REQUEST_VARIANTS, REQUEST_BILLING_INFO, SEND_INVOICE_LINK, OTHER, DELIVERY_PROMISE");
    }

    static String nameOf(int reason) {
        return REASONS.entrySet().stream().filter(e -> e.getValue() == reason).map(Map.Entry::getKey).findFirst().orElse("?");
    }

    private static AttachmentSpec attachment(JsonNode node) throws CommandRejected {
        String url = attachmentText(node, "url");
        String path = attachmentText(node, "path");
        String base64 = attachmentText(node, "base64");
        int sources = (url != null ? 1 : 0) + (path != null ? 1 : 0) + (base64 != null ? 1 : 0);
        if (sources != 1) {
            throw new CommandRejected(ATTACHMENT_INVALID, "The attachment needs exactly one of url, path or base64; got " + sources);
        }
        String filename = attachmentText(node, "filename");
        String name = attachmentText(node, "documentName");
        String extension = attachmentText(node, "documentExtension");
        if (filename != null) {
            checkFileName(filename, "filename");
            int dot = filename.lastIndexOf('.');
            if (name == null) {
                name = dot > 0 ? filename.substring(0, dot) : filename;
            }
            if (extension == null && dot > 0 && dot < filename.length() - 1) {
                extension = filename.substring(dot + 1);
            }
        }
        if (name == null) {
            throw new CommandRejected(ATTACHMENT_INVALID, "The attachment needs a 'filename' such as invoice.pdf");
        }
        if (extension == null) {
            throw new CommandRejected(ATTACHMENT_INVALID, "The attachment's filename needs an extension such as .pdf (or give documentExtension)");
        }
        if (extension.startsWith(".")) {
            extension = extension.substring(1);
        }
        checkFileName(name, "documentName");
        checkFileName(extension, "documentExtension");
        if (!extension.matches("[A-Za-z0-9]{1,10}")) {
            throw new CommandRejected(ATTACHMENT_INVALID, "The attachment extension '" + shorten(extension) + "' must be 1-10 letters or digits");
        }
        if (base64 != null) {
            base64 = base64.replaceAll("\\s", "");
            if (!base64.matches("[A-Za-z0-9+/]*={0,2}") || base64.length() % 4 != 0 || base64.isEmpty()) {
                throw new CommandRejected(ATTACHMENT_INVALID, "attachment.base64 is not valid base64 (standard alphabet, padded)");
            }
        }
        return new AttachmentSpec(url, path, base64, name, extension);
    }

    private static void checkFileName(String value, String field) throws CommandRejected {
        if (value.isBlank() || value.length() > 200 || value.contains("/") || value.contains("\\")
                || value.equals(".") || value.equals("..") || CONTROL.matcher(value).find()) {
            throw new CommandRejected(ATTACHMENT_INVALID, "attachment." + field + " '" + shorten(value)
                    + "' is not a plain file name (no folders, no control characters, at most 200 characters)");
        }
    }

    private static String attachmentText(JsonNode node, String field) throws CommandRejected {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new CommandRejected(ATTACHMENT_INVALID, "attachment." + field + " must be a string");
        }
        return v.asText().isEmpty() ? null : v.asText();
    }

    private static String optionalText(JsonNode root, String field) throws CommandRejected {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new CommandRejected(MALFORMED_COMMAND, "Field '" + field + "' must be a string, got "
                    + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return v.asText();
    }

    /** An id field: a whole number or a non-blank string of at most 64 characters, else refused. */
    private static JsonNode optionalId(JsonNode root, String field) throws CommandRejected {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        boolean ok = v.isIntegralNumber() && v.canConvertToLong() && v.asLong() > 0
                || v.isTextual() && v.asText().matches("[A-Za-z0-9_-]{1,64}");
        if (!ok) {
            throw new CommandRejected(MALFORMED_COMMAND, "Field '" + field + "' must be a positive whole number or an id of letters, digits, '-' or '_'");
        }
        return v;
    }

    private static String textOrNull(JsonNode v) {
        return v != null && v.isTextual() ? shorten(v.asText()) : null;
    }

    static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return shorten(nl < 0 ? s : s.substring(0, nl));
    }
}
