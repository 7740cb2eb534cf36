#!/usr/bin/env bash
# Installs actionlint, pinned, with the Go toolchain into the shared cache directory (outside the
# work tree) and prints its path. Already installed: prints the path only.
set -euo pipefail
VERSION=v1.7.12
CACHE_DIR="${LAKEWALL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lakewall}"
BIN_DIR="$CACHE_DIR/go-bin"
BIN="$BIN_DIR/actionlint"
if [ -x "$BIN" ] && "$BIN" -version | head -1 | grep -qx "$VERSION"; then
  echo "$BIN"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "install-actionlint: the Go toolchain is required (apt-get install golang-go)" >&2
  exit 1
fi
mkdir -p "$BIN_DIR"
GOBIN="$BIN_DIR" go install "github.com/rhysd/actionlint/cmd/actionlint@$VERSION" >&2
echo "$BIN"
