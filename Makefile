# The two Quick start commands. Each installs the JavaScript dependencies from the lock file when
# they are missing or stale; the local stack installs its own servers on first use.
.PHONY: start test deps

# `npm ci`: exactly the lock file, never a rewrite of it, so a fresh clone stays clean after
# `make start`. (The lock lists every platform's optional native binaries, which `npm ci` checks.)
node_modules/.package-lock.json: package-lock.json package.json
	npm ci --no-audit --no-fund

deps: node_modules/.package-lock.json

start: deps
	npm start

test: deps
	npm test
