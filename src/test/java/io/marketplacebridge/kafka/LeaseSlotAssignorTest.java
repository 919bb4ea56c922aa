package io.marketplacebridge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LeaseSlotAssignorTest {

    private static final String TOPIC = "state";

    private final List<Integer> pending = new ArrayList<>();

    private LeaseSlotAssignor assignor(int slots) {
        LeaseSlotAssignor a = new LeaseSlotAssignor();
        a.configure(Map.of(LeaseSlotAssignor.SLOTS_CONFIG, String.valueOf(slots), LeaseSlotAssignor.TOPIC_CONFIG, TOPIC,
                LeaseSlotAssignor.ON_ASSIGNED_CONFIG, (IntConsumer) pending::add));
        return a;
    }

    private static Cluster cluster(int partitions) {
        Node node = new Node(1, "localhost", 9092);
        List<PartitionInfo> infos = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            infos.add(new PartitionInfo(TOPIC, p, node, new Node[] {node}, new Node[] {node}));
        }
        return new Cluster("c", List.of(node), infos, Set.of(), Set.of());
    }

    private static Subscription owning(Integer... slots) {
        List<TopicPartition> owned = new ArrayList<>();
        for (int s : slots) {
            owned.add(new TopicPartition(TOPIC, s));
        }
        return new Subscription(List.of(TOPIC), (ByteBuffer) null, owned);
    }

    private Map<String, List<Integer>> assign(LeaseSlotAssignor a, int partitions, Map<String, Subscription> members) {
        Map<String, List<Integer>> result = new TreeMap<>();
        a.assign(cluster(partitions), new GroupSubscription(members)).groupAssignment().forEach((m, assignment) ->
                result.put(m, assignment.partitions().stream().map(TopicPartition::partition).sorted().toList()));
        return result;
    }

    @Test
    void givenANewcomerThenASlotIsFirstRevokedFromItsOwnerAndGivenInTheFollowUpRebalance() {
        LeaseSlotAssignor a = assignor(3);
        Map<String, List<Integer>> first = assign(a, 16, Map.of("a", owning(0, 1, 2), "b", owning()));
        assertEquals(Map.of("a", List.of(0, 1), "b", List.of()), first, "no slot has two owners at any time");
        assertEquals(List.of(1), pending, "one slot waits for the follow-up rebalance");

        Map<String, List<Integer>> followUp = assign(a, 16, Map.of("a", owning(0, 1), "b", owning()));
        assertEquals(Map.of("a", List.of(0, 1), "b", List.of(2)), followUp);
        assertEquals(List.of(1, 0), pending);
    }

    @Test
    void givenADeadMemberThenItsSlotsGoToTheOthersAtOnce() {
        LeaseSlotAssignor a = assignor(3);
        assertEquals(Map.of("b", List.of(0, 1, 2)), assign(a, 16, Map.of("b", owning(2))));
        assertEquals(List.of(0), pending);
    }

    @Test
    void givenFewerPartitionsThanSlotsThenOnlyExistingPartitionsAreLeased() {
        assertEquals(Map.of("a", List.of(0), "b", List.of()), assign(assignor(3), 1, Map.of("a", owning(), "b", owning())));
    }

    @Test
    void balanceKeepsWhatMembersOwnUpToTheirShareAndHandsOutTheRest() {
        assertEquals(Map.of("a", List.of(0, 1), "b", List.of(2)),
                LeaseSlotAssignor.balance(List.of("a", "b"), Map.of("a", List.of(0, 1, 2)), 3));
        assertEquals(Map.of("a", List.of(1, 2), "b", List.of(0)),
                LeaseSlotAssignor.balance(List.of("a", "b"), Map.of("a", List.of(1, 2), "b", List.of()), 3));
        assertEquals(Map.of("a", List.of(0), "b", List.of(1), "c", List.of(2)),
                LeaseSlotAssignor.balance(List.of("a", "b", "c"), Map.of(), 3));
        assertEquals(Map.of("a", List.of(0), "b", List.of()),
                LeaseSlotAssignor.balance(List.of("a", "b"), Map.of(), 1));
    }
}
