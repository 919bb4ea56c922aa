package io.marketplacebridge.outbound;

/**
 * Exchange properties of the outbound route ({@code routes/outbound.yaml}). The remote-call routes read
 * {@link #PATH}, {@link #QUERY} and {@link #LECTRONZ_TOKEN}; the rest is shared by the route's beans.
 */
public final class CommandExchange {

    /** {@link CommandDraft}: who the command is, as far as it could be read; every result is built from it. */
    public static final String DRAFT = "outboundDraft";
    /** The validated {@link OutboundCommand}. */
    public static final String COMMAND = "outboundCommand";
    /** The {@link CommandResult}, once known. */
    public static final String RESULT = "outboundResult";
    /** {@code lectronz} or {@code alephee}, and {@code send} or {@code mark_as_read}: what the route's choice reads. */
    public static final String CHANNEL = io.marketplacebridge.http.RemoteCall.CHANNEL;
    public static final String ACTION = "outboundAction";
    /** Read by the remote-call routes. */
    public static final String PATH = "outboundPath";
    public static final String QUERY = "outboundQuery";
    public static final String LECTRONZ_TOKEN = "lectronzToken";

    private CommandExchange() {
    }

    /** The command's account, for metric labels: {@code default} until the command is read. */
    public static String account(org.apache.camel.Exchange exchange) {
        OutboundCommand command = exchange.getProperty(COMMAND, OutboundCommand.class);
        return command == null || command.account() == null ? io.marketplacebridge.config.Accounts.DEFAULT : command.account();
    }
}
