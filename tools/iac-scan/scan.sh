#!/usr/bin/env bash
# Runs cfn-lint and checkov over every synthesized template, allowing only the findings listed (with
# a reason) in the skip file. Usage: scan.sh <cdk.out dir> <skips.yaml>
set -euo pipefail
CACHE_DIR="${LAKEWALL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lakewall}"
PY="$CACHE_DIR/venv-iac/bin/python"
if [[ ! -x "$PY" ]]; then
  echo "iac-scan: scanners not installed; run tools/iac-scan/install.sh" >&2
  exit 2
fi
exec "$PY" "$(dirname "$0")/scan.py" "$@"
