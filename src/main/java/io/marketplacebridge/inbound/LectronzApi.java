package io.marketplacebridge.inbound;

import java.util.List;

/** The three Lectronz calls the inbound sync needs (SPEC section 2); the real one goes through Camel routes. */
public interface LectronzApi {

    /** A minimal list item: {@code {id, type, created_at, updated_at}}. */
    record Item(long id, String type, String createdAt, String updatedAt) {
    }

    /** One page of {@code GET /messages}, newest first. */
    record Page(int totalCount, List<Item> messages) {
    }

    Page list(int limit, int offset);

    /** {@code GET /messages/{id}}: the body exactly as returned. */
    byte[] message(long id);

    /** {@code POST /messages/{id}/mark_as_read}. */
    void markAsRead(long id);

    /** A call failed after the retries the route configuration allows. */
    class LectronzException extends RuntimeException {
        private final int statusCode;

        public LectronzException(String message, int statusCode, Throwable cause) {
            super(message, cause);
            this.statusCode = statusCode;
        }

        /** HTTP status, or 0 when there was no response (timeout, connection refused). */
        public int statusCode() {
            return statusCode;
        }
    }

    /** 401: the token is wrong. Nothing to retry before the operator fixes LECTRONZ_API_TOKEN. */
    class UnauthorizedException extends LectronzException {
        public UnauthorizedException(Throwable cause) {
            super("Lectronz rejected the API token (401 Unauthorized): check the LECTRONZ_API_TOKEN setting "
                    + "(or the account's api-token in BRIDGE_ACCOUNTS_FILE)", 401, cause);
        }
    }

    /** The remote answered 2xx with a body we cannot understand. */
    class MalformedResponseException extends LectronzException {
        public MalformedResponseException(String message, Throwable cause) {
            super(message, 0, cause);
        }
    }
}
