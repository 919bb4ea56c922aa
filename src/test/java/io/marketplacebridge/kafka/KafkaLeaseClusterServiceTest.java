package io.marketplacebridge.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.ConsumerGroupState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two bridge instances (two Camel contexts) lease one namespace from Kafka: one leads, the other takes over. */
@ExtendWith(EmbeddedKafkaExtension.class)
class KafkaLeaseClusterServiceTest {

    @Test
    void theFirstInstanceLeadsKeepsTheLeadWhenAnotherJoinsAndHandsItOverWhenItLeaves() throws Exception {
        KafkaClients clients = new KafkaClients(EmbeddedKafkaExtension.bootstrapServers(), Map.of());
        String topic = "lease-" + UUID.randomUUID();
        String prefix = "lease-test-" + UUID.randomUUID();
        try (Admin admin = clients.admin("lease-test")) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            try (CamelContext a = instance(clients, topic, prefix); CamelContext b = instance(clients, topic, prefix)) {
                CamelClusterView first = a.hasService(KafkaLeaseClusterService.class).getView("poller");
                List<Boolean> firstEvents = leadershipEvents(first);
                await().atMost(Duration.ofSeconds(30)).until(() -> first.getLocalMember().isLeader());
                assertEquals(Optional.of(first.getLocalMember()), first.getLeader());

                CamelClusterView second = b.hasService(KafkaLeaseClusterService.class).getView("poller");
                List<Boolean> secondEvents = leadershipEvents(second);
                await().atMost(Duration.ofSeconds(30)).until(() -> stableWithMembers(admin, prefix + "-poller", 2));
                // the rebalance on join leaves the lead where it is
                assertTrue(first.getLocalMember().isLeader());
                assertFalse(second.getLocalMember().isLeader(), "two leaders");
                assertTrue(second.getLeader().isEmpty());
                assertEquals(List.of(false, true), firstEvents); // a new listener is told the state at once
                assertEquals(List.of(false), secondEvents);

                // a clean stop leaves the group at once: the other leads without waiting for a session timeout
                first.getClusterService().releaseView(first);
                await().atMost(Duration.ofSeconds(20)).until(() -> second.getLocalMember().isLeader());
                assertFalse(first.getLocalMember().isLeader());
                // the master: endpoints learn it from these events
                assertEquals(List.of(false, true, false), firstEvents);
                assertEquals(List.of(false, true), secondEvents);
            }
        }
    }

    private static boolean stableWithMembers(Admin admin, String group, int members) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
        return d.state() == ConsumerGroupState.STABLE && d.members().size() == members;
    }

    /** Whether this instance leads, as told by each leadership event. */
    private static List<Boolean> leadershipEvents(CamelClusterView view) {
        List<Boolean> events = new CopyOnWriteArrayList<>();
        view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) ->
                events.add(leader != null && leader.isLocal()));
        return events;
    }

    private static CamelContext instance(KafkaClients clients, String topic, String prefix) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addService(new KafkaLeaseClusterService(clients, topic, prefix));
        context.start();
        return context;
    }
}
