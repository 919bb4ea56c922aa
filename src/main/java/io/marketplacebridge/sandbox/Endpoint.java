package io.marketplacebridge.sandbox;

/** The sandbox endpoints whose calls are counted ({@link Sandbox#calls(Endpoint)}). */
public enum Endpoint {
    /** {@code GET /lectronz/api/v1/messages} */
    LECTRONZ_LIST,
    /** {@code GET /lectronz/api/v1/messages/{id}} */
    LECTRONZ_DETAIL,
    /** {@code POST /lectronz/api/v1/messages/{id}/mark_as_read} */
    LECTRONZ_MARK_AS_READ,
    /** {@code POST /lectronz/api/v1/messages} */
    LECTRONZ_CREATE,
    /** {@code POST /alephee/v2/orders/{orderId}/messages} */
    ALEPHEE_SEND
}
