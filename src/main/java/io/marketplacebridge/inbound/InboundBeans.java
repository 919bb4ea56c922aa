package io.marketplacebridge.inbound;

import java.util.List;

import io.marketplacebridge.config.BridgeSettings;
import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.kafka.KafkaLeaseClusterService;
import io.marketplacebridge.kafka.TopicInitializer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;

/**
 * Binds the inbound half, per Lectronz account: its {@link InboundSession} and the step beans
 * {@code inboundScan-<account>}, {@code inboundPublish-<account>}, {@code inboundMarkAsRead-<account>}, the routes of the
 * route templates in routes/lectronz-inbound.yaml (parameter {@code account}), and the Kafka cluster service each
 * account's poller is leased from, spread over the running instances: the route policy
 * {@code lectronzPollerLeadership-<account>} (Camel's {@link ClusteredRoutePolicy} on the account's lease) starts the
 * account's routes when this instance takes the lead and stops them when it loses it.
 */
public final class InboundBeans {

    /** The route templates of routes/lectronz-inbound.yaml, instantiated once per account. */
    static final List<String> TEMPLATES = List.of("lectronz-inbound-poll");

    private InboundBeans() {
    }

    public static void bind(CamelContext context, BridgeSettings settings, KafkaClients clients, TopicInitializer topics)
            throws Exception {
        if (!settings.inboundEnabled()) {
            return; // no routes, no sessions, no lease: no threads, no Kafka clients
        }
        List<InboundAccount> accounts = settings.accounts().lectronz().stream()
                .map(a -> InboundAccount.of(a, settings.topics().state())).toList();
        // the lease topic is the state topic: the lease group never reads it, it only holds its partitions
        KafkaLeaseClusterService lease = new KafkaLeaseClusterService(clients, settings.topics().state(),
                InboundAccount.leaseGroup(accounts, settings.topics().state()),
                accounts.stream().map(InboundAccount::leaseNamespace).toList());
        context.addService(lease, true, true);
        // joined while the routes load and start, not after: the first poll need not wait for the group's join
        lease.joinNow();
        for (InboundAccount account : accounts) {
            InboundSession session = new InboundSession(context, settings, account, clients, topics);
            // The steps are plain beans on purpose: Camel stops the services a route's bean steps hold when the route
            // stops, and the route policy stops it on every lost leadership, from the lease thread; the session is a
            // service of the context and must keep running (and must not be stopped from that thread).
            context.getRegistry().bind(beanName("inboundScan", account.name()), new InboundScan(session));
            context.getRegistry().bind(beanName("inboundPublish", account.name()), new InboundPublish(session));
            context.getRegistry().bind(beanName("inboundMarkAsRead", account.name()), new InboundMarkAsRead(session));
            // no start-up delay (camel-master's master: endpoint waited a fixed second after each lead taken)
            context.getRegistry().bind(beanName("lectronzPollerLeadership", account.name()),
                    ClusteredRoutePolicy.forNamespace(context, account.leaseNamespace()));
            HealthCheckRegistry.get(context).register(session.healthCheck());
            // starts before the routes and stops after them
            context.addService(session, true, true);
        }
        // collected by Camel Main with the YAML routes, after their templates
        context.getRegistry().bind("lectronzInboundRoutes", new RouteBuilder() {
            @Override
            public void configure() {
                for (InboundAccount account : accounts) {
                    for (String template : TEMPLATES) {
                        templatedRoute(template).routeId(template + "-" + account.name())
                                .parameter("account", account.name());
                    }
                }
            }
        });
    }

    /** A step bean of an account, as the route templates name it: {@code <step>-<account>}. */
    static String beanName(String step, String account) {
        return step + "-" + account;
    }
}
