#!/usr/bin/env bash
# Installs the IaC scanners (cfn-lint, checkov) at pinned versions into a virtualenv in the user's
# cache directory, so a fresh machine or CI gets exactly the versions the skip list was written for.
# Idempotent: an existing venv with the right versions is left alone.
set -euo pipefail

CFN_LINT_VERSION="1.58.0"
CHECKOV_VERSION="3.3.30"

CACHE_DIR="${LAKEWALL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lakewall}"
VENV="$CACHE_DIR/venv-iac"
STAMP="$VENV/.lakewall-versions"
WANT="cfn-lint==$CFN_LINT_VERSION checkov==$CHECKOV_VERSION"

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]]; then
  echo "iac-scan: scanners already installed in $VENV ($WANT)"
  exit 0
fi

mkdir -p "$CACHE_DIR"
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
# shellcheck disable=SC2086
"$VENV/bin/pip" install --quiet --disable-pip-version-check $WANT
echo "$WANT" > "$STAMP"
echo "iac-scan: installed $WANT into $VENV"
