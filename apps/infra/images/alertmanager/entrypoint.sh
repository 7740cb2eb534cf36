#!/bin/sh
# Writes the configuration the task definition carries to the scratch volume, then becomes
# Alertmanager (one instance: clustering off).
set -eu
: "${LAKEWALL_ALERTMANAGER_CONFIG:?set by the task definition}"
printf '%s\n' "$LAKEWALL_ALERTMANAGER_CONFIG" > /config/alertmanager.yml
exec /bin/alertmanager \
  --config.file=/config/alertmanager.yml \
  --storage.path=/alertmanager \
  --cluster.listen-address= \
  --web.listen-address=:9093
