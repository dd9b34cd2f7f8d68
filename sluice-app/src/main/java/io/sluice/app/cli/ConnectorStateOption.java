package io.sluice.app.cli;

import io.sluice.app.config.ConfigException;
import io.sluice.kafka.StateTopic;
import picocli.CommandLine.Option;

/**
 * The options that point a {@code sluice schema} or {@code sluice rules} command at a Kafka Connect connector's state instead of a pipeline
 * file: the Kafka cluster, the connector's state topic and its name (docs/kafka-connect.md). A connector's halt
 * message gives them as they are.
 */
final class ConnectorStateOption {
    @Option(
            names = "--connect-state",
            paramLabel = "<bootstrap-servers>",
            description = "Work on a Kafka Connect connector's state: the Kafka cluster holding its state topic"
                    + " (the connector's kafka.bootstrap-servers); with --state-topic and --connector, instead of -c.")
    String bootstrapServers;

    @Option(
            names = "--state-topic",
            paramLabel = "<topic>",
            description = "The connector's state topic (its state.topic; default <topic.prefix>.sluice-state).")
    String stateTopic;

    @Option(names = "--connector", paramLabel = "<name>", description = "The connector's name.")
    String connector;

    /** Whether any of the options is given. */
    boolean given() {
        return bootstrapServers != null || stateTopic != null || connector != null;
    }

    /** The connector's state topic, read to its end; a usage error when an option is missing or -c is given too. */
    StateTopic open(boolean pipelineFileGiven) {
        if (pipelineFileGiven) {
            throw new ConfigException(
                    "give a pipeline file (-c) or a connector's state (--connect-state, --state-topic,"
                            + " --connector), not both");
        }
        if (bootstrapServers == null || stateTopic == null || connector == null) {
            throw new ConfigException("a connector's state needs all of --connect-state <bootstrap-servers>,"
                    + " --state-topic <topic> and --connector <name>, as the connector's halt message gives them");
        }
        StateTopic state = StateTopic.appendingDirectly(bootstrapServers, stateTopic, connector);
        if (!state.holdsAnything()) {
            state.close();
            throw new ConfigException("the topic " + stateTopic + " holds no state of connector " + connector
                    + ": check --connector (the connector's name) and --state-topic. A connector with"
                    + " value.format=struct writes its state through its converters, which this command does not read"
                    + " yet");
        }
        return state;
    }

    /** How to restart the connector's task after an approval. */
    String restartHint() {
        return "Restart connector " + connector + "'s failed task through Connect's REST API: curl -X POST"
                + " 'http://<worker>:8083/connectors/" + connector + "/restart?includeTasks=true&onlyFailed=true'";
    }

    /** The options that name the connector's state in another command. */
    String options() {
        return "--connect-state " + bootstrapServers + " --state-topic " + stateTopic + " --connector " + connector;
    }
}
