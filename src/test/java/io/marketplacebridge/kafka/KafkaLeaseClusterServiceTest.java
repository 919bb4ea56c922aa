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

/** Bridge instances (Camel contexts) lease namespaces from Kafka: one leader each, spread, handed over on leaving. */
@ExtendWith(EmbeddedKafkaExtension.class)
class KafkaLeaseClusterServiceTest {

    private final KafkaClients clients = new KafkaClients(EmbeddedKafkaExtension.bootstrapServers(), Map.of());
    private final String group = "lease-test-" + UUID.randomUUID();

    @Test
    void theFirstInstanceLeadsKeepsTheLeadWhenAnotherJoinsAndHandsItOverWhenItLeaves() throws Exception {
        try (Admin admin = clients.admin("lease-test")) {
            String topic = leaseTopic(admin, 1);
            try (CamelContext a = instance(clients, topic, group); CamelContext b = instance(clients, topic, group)) {
                CamelClusterView first = a.hasService(KafkaLeaseClusterService.class).getView("poller");
                List<Boolean> firstEvents = leadershipEvents(first);
                await().atMost(Duration.ofSeconds(30)).until(() -> first.getLocalMember().isLeader());
                assertEquals(Optional.of(first.getLocalMember()), first.getLeader());

                CamelClusterView second = b.hasService(KafkaLeaseClusterService.class).getView("poller");
                List<Boolean> secondEvents = leadershipEvents(second);
                await().atMost(Duration.ofSeconds(30)).until(() -> stableWithMembers(admin, group + "-poller", 2));
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
                // the route policies learn it from these events
                assertEquals(List.of(false, true, false), firstEvents);
                assertEquals(List.of(false, true), secondEvents);
            }
        }
    }

    @Test
    void threeNamespacesOnTwoInstancesAreSpreadTwoAndOneAndAllMoveWhenOneInstanceLeaves() throws Exception {
        List<String> namespaces = List.of("poller-a", "poller-b", "poller-c");
        try (Admin admin = clients.admin("lease-test")) {
            String topic = leaseTopic(admin, 16);
            try (CamelContext a = instance(clients, topic, group, namespaces);
                 CamelContext b = instance(clients, topic, group, namespaces)) {
                List<CamelClusterView> viewsA = views(a, namespaces);
                await().atMost(Duration.ofSeconds(30)).until(() -> leading(viewsA) == 3);
                List<CamelClusterView> viewsB = views(b, namespaces);
                // the newcomer gets one namespace; no namespace ever has two leaders on the way
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    for (int i = 0; i < namespaces.size(); i++) {
                        assertFalse(viewsA.get(i).getLocalMember().isLeader() && viewsB.get(i).getLocalMember().isLeader(),
                                "two leaders of " + namespaces.get(i));
                    }
                    return leading(viewsA) == 2 && leading(viewsB) == 1;
                });
                await().atMost(Duration.ofSeconds(30)).until(() -> stableWithMembers(admin, group, 2));
                assertEquals(2, leading(viewsA));
                assertEquals(1, leading(viewsB));

                a.stop();
                await().atMost(Duration.ofSeconds(30)).until(() -> leading(viewsB) == 3);
            }
        }
    }

    @Test
    void joinedNowTheInstanceIsInTheGroupBeforeAnyLeaseAndLeavesOnlyWhenTheServiceStops() throws Exception {
        try (Admin admin = clients.admin("lease-test")) {
            String topic = leaseTopic(admin, 1);
            CamelContext context = new DefaultCamelContext();
            KafkaLeaseClusterService service = new KafkaLeaseClusterService(clients, topic, group, List.of("poller"));
            context.addService(service);
            service.joinNow();
            context.start();
            try {
                // a member before any lease was asked for
                await().atMost(Duration.ofSeconds(30)).until(() -> stableWithMembers(admin, group, 1));
                CamelClusterView view = service.getView("poller");
                await().atMost(Duration.ofSeconds(30)).until(() -> view.getLocalMember().isLeader());

                // the last lease released: still a member (and a lease asked for again leads)
                service.releaseView(view);
                assertFalse(view.getLocalMember().isLeader());
                assertTrue(stableWithMembers(admin, group, 1));
                CamelClusterView again = service.getView("poller");
                await().atMost(Duration.ofSeconds(30)).until(() -> again.getLocalMember().isLeader());
            } finally {
                context.stop();
            }
            // stopping the service leaves the group
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeConsumerGroups(List.of(group))
                    .describedGroups().get(group).get().members().isEmpty());
        }
    }

    /** A new lease topic with this many partitions. */
    private static String leaseTopic(Admin admin, int partitions) throws Exception {
        String topic = "lease-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        return topic;
    }

    private static List<CamelClusterView> views(CamelContext context, List<String> namespaces) throws Exception {
        KafkaLeaseClusterService service = context.hasService(KafkaLeaseClusterService.class);
        List<CamelClusterView> views = new java.util.ArrayList<>();
        for (String ns : namespaces) {
            views.add(service.getView(ns));
        }
        return views;
    }

    private static long leading(List<CamelClusterView> views) {
        return views.stream().filter(v -> v.getLocalMember().isLeader()).count();
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
        return instance(clients, topic, prefix + "-poller", List.of("poller"));
    }

    private static CamelContext instance(KafkaClients clients, String topic, String group, List<String> namespaces)
            throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addService(new KafkaLeaseClusterService(clients, topic, group, namespaces));
        context.start();
        return context;
    }
}
