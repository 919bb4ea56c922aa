package io.marketplacebridge.kafka;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.TopicPartition;

/**
 * Spreads the lease slots of {@link KafkaLeaseClusterService} evenly over the group's members: partitions
 * 0..slots-1 of the lease topic, one per leased namespace (the topic may have more partitions; they stay
 * unassigned). Members keep what they own as far as the balance allows, and a slot moves in two steps
 * (cooperative protocol: first revoked from its owner, given to the new one in the follow-up rebalance), so a
 * namespace never has two leaders, not even for a moment.
 */
public final class LeaseSlotAssignor implements ConsumerPartitionAssignor, Configurable {

    /** Consumer property: how many slots (namespaces) the group leases. */
    public static final String SLOTS_CONFIG = "marketplace-bridge.lease.slots";
    /** Consumer property: the lease topic. */
    public static final String TOPIC_CONFIG = "marketplace-bridge.lease.topic";
    /**
     * Consumer property: an {@code IntConsumer} told, after each assignment this member made as group leader, how
     * many slots wait for a follow-up rebalance (their owner must revoke them first).
     */
    public static final String ON_ASSIGNED_CONFIG = "marketplace-bridge.lease.on-assigned";

    private int slots = 1;
    private String topic;
    private IntConsumer onAssigned;

    @Override
    public void configure(Map<String, ?> configs) {
        Object s = configs.get(SLOTS_CONFIG);
        slots = s == null ? 1 : Integer.parseInt(String.valueOf(s));
        topic = String.valueOf(configs.get(TOPIC_CONFIG));
        onAssigned = configs.get(ON_ASSIGNED_CONFIG) instanceof IntConsumer c ? c : null;
    }

    @Override
    public String name() {
        return "marketplace-bridge-lease-slots";
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE);
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Subscription> members = new TreeMap<>(groupSubscription.groupSubscription());
        Integer partitions = metadata.partitionCountForTopic(topic);
        int n = Math.min(slots, partitions == null ? 0 : partitions);
        Map<String, List<Integer>> owned = new HashMap<>();
        Map<Integer, String> owner = new HashMap<>();
        members.forEach((member, sub) -> {
            List<Integer> mine = new ArrayList<>();
            for (TopicPartition tp : sub.ownedPartitions()) {
                if (tp.topic().equals(topic) && tp.partition() < n && !owner.containsKey(tp.partition())) {
                    owner.put(tp.partition(), member);
                    mine.add(tp.partition());
                }
            }
            owned.put(member, mine);
        });
        Map<String, List<Integer>> target = balance(new ArrayList<>(members.keySet()), owned, n);
        Map<String, Assignment> result = new HashMap<>();
        int[] pendingCount = {0};
        target.forEach((member, wanted) -> {
            List<TopicPartition> now = new ArrayList<>();
            for (int slot : wanted) {
                String current = owner.get(slot);
                // a slot still owned by another member is handed over in the next rebalance, after its revocation
                if (current == null || current.equals(member)) {
                    now.add(new TopicPartition(topic, slot));
                } else {
                    pendingCount[0]++;
                }
            }
            result.put(member, new Assignment(now));
        });
        int pending = pendingCount[0];
        if (onAssigned != null) {
            onAssigned.accept(pending);
        }
        return new GroupAssignment(result);
    }

    /**
     * Each member gets slots/members slots, some one more; members keep owned slots first (the ones owning most get
     * the larger shares), then the free slots go to whoever is below its share.
     */
    static Map<String, List<Integer>> balance(List<String> members, Map<String, List<Integer>> owned, int slots) {
        Map<String, List<Integer>> target = new TreeMap<>();
        if (members.isEmpty()) {
            return target;
        }
        int base = slots / members.size();
        int larger = slots % members.size();
        List<String> byOwned = new ArrayList<>(members);
        byOwned.sort(Comparator.comparingInt((String m) -> -owned.getOrDefault(m, List.of()).size())
                .thenComparing(Comparator.naturalOrder()));
        Map<String, Integer> share = new HashMap<>();
        for (String m : byOwned) {
            share.put(m, base + (larger-- > 0 ? 1 : 0));
        }
        Set<Integer> taken = new HashSet<>();
        for (String m : byOwned) {
            List<Integer> keep = new ArrayList<>();
            for (int slot : owned.getOrDefault(m, List.of())) {
                if (keep.size() < share.get(m) && taken.add(slot)) {
                    keep.add(slot);
                }
            }
            target.put(m, keep);
        }
        for (int slot = 0; slot < slots; slot++) {
            if (taken.contains(slot)) {
                continue;
            }
            for (String m : byOwned) {
                if (target.get(m).size() < share.get(m)) {
                    target.get(m).add(slot);
                    taken.add(slot);
                    break;
                }
            }
        }
        return target;
    }
}
