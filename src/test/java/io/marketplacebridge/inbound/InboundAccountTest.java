package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.marketplacebridge.config.Accounts;
import org.junit.jupiter.api.Test;

class InboundAccountTest {

    private static final String URL = "https://lectronz.com/api/v1";
    private static final String STATE = "marketplace-bridge.state";

    private static InboundAccount account(String name, String token, String storeId) {
        return InboundAccount.of(new Accounts.Account(name, new Accounts.Lectronz(URL, token, storeId), null), STATE);
    }

    @Test
    void givenTwoDeploymentsWithDefaultSettingsForTwoStoresThenTheyShareNoLeaseTransactionalIdOrState() {
        InboundAccount first = account("default", "token-of-store-one", null);
        InboundAccount second = account("default", "token-of-store-two", null);

        assertNotEquals(first.transactionalId(), second.transactionalId());
        assertNotEquals(first.stateKeyPrefix(), second.stateKeyPrefix());
        assertNotEquals(InboundAccount.leaseGroup(List.of(first), STATE), InboundAccount.leaseGroup(List.of(second), STATE));
        for (String name : List.of(first.transactionalId(), first.stateKeyPrefix(),
                InboundAccount.leaseGroup(List.of(first), STATE), first.toString())) {
            assertFalse(name.contains("token-of-store-one"), name);
        }
    }

    @Test
    void givenAStoreIdThenATokenRotationKeepsEveryName() {
        InboundAccount before = account("shop-eu", "old-token", "eu");
        InboundAccount after = account("shop-eu", "new-token", "eu");

        assertEquals(before.transactionalId(), after.transactionalId());
        assertEquals(before.stateKeyPrefix(), after.stateKeyPrefix());
        assertEquals(InboundAccount.leaseGroup(List.of(before), STATE), InboundAccount.leaseGroup(List.of(after), STATE));
    }

    @Test
    void ceSourceIsTheBaseUrlForDefaultAndCarriesTheAccountOtherwise() {
        assertEquals(URL, account("default", "t", null).ceSource());
        assertEquals(URL + "#shop-mx", account("shop-mx", "t", null).ceSource());
    }

    @Test
    void statePartitionNeverIsTheOutboundPartitionUnlessTheTopicHasOnlyOne() {
        for (String name : List.of("a", "b", "c", "default", "shop-eu", "shop-mx")) {
            int p = account(name, "t", null).statePartition(16);
            assertTrue(p >= 1 && p < 16, name + " -> " + p);
            assertEquals(0, account(name, "t", null).statePartition(1));
        }
    }
}
