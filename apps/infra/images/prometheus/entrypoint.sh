#!/bin/sh
# Writes the configuration the task definition carries to the scratch volume, then becomes Prometheus.
set -eu
: "${LAKEWALL_PROMETHEUS_CONFIG:?set by the task definition}"
: "${LAKEWALL_PROMETHEUS_RETENTION:?set by the task definition, e.g. 15d}"
printf '%s\n' "$LAKEWALL_PROMETHEUS_CONFIG" > /config/prometheus.yml
exec /bin/prometheus \
  --config.file=/config/prometheus.yml \
  --storage.tsdb.path=/prometheus \
  --storage.tsdb.retention.time="$LAKEWALL_PROMETHEUS_RETENTION" \
  --web.listen-address=:9090
