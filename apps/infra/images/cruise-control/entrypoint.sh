#!/bin/sh
# Writes the configuration the task definition carries to the scratch volume, adds the SASL login
# from the injected password (readable by this user only), then becomes Cruise Control.
set -eu
: "${LAKEWALL_CRUISE_CONTROL_PROPERTIES:?set by the task definition}"
: "${LAKEWALL_CRUISE_CONTROL_CAPACITY:?set by the task definition}"
: "${LAKEWALL_CRUISE_CONTROL_CLUSTER_CONFIGS:?set by the task definition}"
: "${LAKEWALL_KAFKA_USERNAME:?set by the task definition}"
: "${LAKEWALL_KAFKA_PASSWORD:?injected by ECS from the SCRAM secret}"
umask 077
mkdir -p /tmp/cruise-control
printf '%s\n' "$LAKEWALL_CRUISE_CONTROL_CAPACITY" > /config/capacity.json
printf '%s\n' "$LAKEWALL_CRUISE_CONTROL_CLUSTER_CONFIGS" > /config/clusterConfigs.json
{
  printf '%s\n' "$LAKEWALL_CRUISE_CONTROL_PROPERTIES"
  # SCRAM passwords are generated without quotes or backslashes, so they need no escaping here.
  printf 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\n' \
    "$LAKEWALL_KAFKA_USERNAME" "$LAKEWALL_KAFKA_PASSWORD"
} > /config/cruisecontrol.properties
unset LAKEWALL_KAFKA_PASSWORD
exec java ${JAVA_OPTS:-} -Djava.io.tmpdir=/tmp \
  -Dlog4j2.configurationFile=/opt/lakewall/log4j2.properties \
  -cp '/opt/cruise-control/libs/*' \
  com.linkedin.kafka.cruisecontrol.KafkaCruiseControlMain /config/cruisecontrol.properties
