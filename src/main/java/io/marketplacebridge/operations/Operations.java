package io.marketplacebridge.operations;

import java.io.PrintStream;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import io.marketplacebridge.config.InvalidSettingsException;
import io.marketplacebridge.kafka.KafkaTransactions;

/**
 * The operations commands of the jar, {@code redrive} and {@code replay} (SPEC section 9). They read the
 * bridge's settings and work on its topics while bridge instances run. Exit codes: {@link #DONE},
 * {@link #PARTLY_DONE} (a write failed or Kafka could not be read), {@link #BAD_ARGUMENTS} (also a bad setting).
 */
public final class Operations {

    public static final int DONE = 0;
    public static final int PARTLY_DONE = 1;
    public static final int BAD_ARGUMENTS = 2;

    public static final Set<String> COMMANDS = Set.of("redrive", "replay");
    /** One usage line per command, for the jar's usage. */
    public static final List<String> USAGE = List.of(Redrive.USAGE, Replay.USAGE);

    private Operations() {
    }

    /**
     * Runs one command.
     *
     * @param profile   the settings profile (dev, prod, test)
     * @param overrides property overrides on top of the properties files, env and -D (tests)
     * @param args      the command name ({@link #COMMANDS}) and its options
     * @return the exit code
     */
    public static int run(String profile, Properties overrides, PrintStream out, PrintStream err, List<String> args) {
        String name = args.isEmpty() ? "" : args.get(0);
        List<String> options = args.subList(Math.min(1, args.size()), args.size());
        String usage = name.equals("replay") ? Replay.USAGE : Redrive.USAGE;
        if (COMMANDS.contains(name) && (options.contains("--help") || options.contains("-h"))) {
            out.println("Usage: java -jar marketplace-bridge.jar " + usage);
            out.println("Filters, output and exit codes: README, \"Operating it\" (Operations commands)");
            return DONE;
        }
        CommandSettings settings = null;
        try {
            Redrive.Request redrive = null;
            Replay.Request replay = null;
            switch (name) {
                case "redrive" -> redrive = Redrive.parse(options);
                case "replay" -> replay = Replay.parse(options);
                default -> throw new UsageException("unknown command '" + name + "'");
            }
            settings = CommandSettings.load(profile, overrides);
            return redrive != null ? new Redrive(settings, out, err).run(redrive) : new Replay(settings, out, err).run(replay);
        } catch (UsageException e) {
            err.println(name + ": " + e.getMessage());
            err.println("Usage: java -jar marketplace-bridge.jar " + usage);
            return BAD_ARGUMENTS;
        } catch (InvalidSettingsException e) {
            err.println(e.getMessage());
            return BAD_ARGUMENTS;
        } catch (TopicScan.MissingTopicException e) {
            err.println(name + ": " + e.getMessage());
            return PARTLY_DONE;
        } catch (RuntimeException e) {
            err.println(name + ": stopped, " + KafkaTransactions.rootMessage(e)
                    + (settings == null ? "" : " (Kafka at " + settings.clients().bootstrapServers() + ")"));
            return PARTLY_DONE;
        }
    }
}
