package io.marketplacebridge.inbound;

import java.util.List;

import io.marketplacebridge.config.Accounts;

/**
 * One polled Lectronz store, and the names everything it owns on Kafka derives from. Two deployments for two
 * stores never share a lease, a transactional id or inbound state, even with the same account name and base URL:
 * the names include the store key (a hash of base URL and token, or the account's store-id), never the token.
 *
 * @param name       the account name (header {@code marketplace-account})
 * @param stateTopic the state topic, so deployments with their own state topics never meet either
 */
public record InboundAccount(String name, String baseUrl, String apiToken, String storeKey, String stateTopic) {

    public static InboundAccount of(Accounts.Account account, String stateTopic) {
        Accounts.Lectronz l = account.lectronz();
        return new InboundAccount(account.name(), l.baseUrl(), l.apiToken(), l.storeKey(), stateTopic);
    }

    /** The cluster namespace of this account's poller (its route's ClusteredRoutePolicy). */
    public String leaseNamespace() {
        return "lectronz-poller-" + name;
    }

    /** One per store: initTransactions() by a new poller fences any older one of the same store. */
    public String transactionalId() {
        return "marketplace-bridge-inbound-" + Accounts.shortHash(stateTopic + "|" + name + "|" + storeKey);
    }

    /** The state keys of this store's messages: {@code <prefix><message id>}. */
    public String stateKeyPrefix() {
        return "lectronz.message:" + name + "." + storeKey + ":";
    }

    /**
     * The state topic partition holding this store's state. Partition 0 holds the outbound delivered ids, so an
     * inbound restore reads neither them nor (mostly) other stores' states; a one-partition topic holds all.
     * The mapping depends on the partition count: never change the state topic's partitions.
     */
    public int statePartition(int partitions) {
        return partitions <= 1 ? 0 : 1 + Math.floorMod(stateKeyPrefix().hashCode(), partitions - 1);
    }

    /** {@code ce_source}: the base URL for the account {@code default}, else the base URL + {@code #<account>}. */
    public String ceSource() {
        return Accounts.DEFAULT.equals(name) ? baseUrl : baseUrl + "#" + name;
    }

    /** The consumer group the instances of one deployment lease these accounts' pollers in. */
    public static String leaseGroup(List<InboundAccount> accounts, String stateTopic) {
        StringBuilder all = new StringBuilder(stateTopic);
        accounts.forEach(a -> all.append('|').append(a.name()).append('.').append(a.storeKey()));
        return "marketplace-bridge-inbound-leases-" + Accounts.shortHash(all.toString());
    }

    @Override
    public String toString() { // never print the token
        return "InboundAccount[" + name + ", " + baseUrl + ", store " + storeKey + "]";
    }
}
