# The two Quick start commands. Each installs the JavaScript dependencies from the lock file when
# they are missing or stale; the local stack installs its own servers on first use.
.PHONY: start test deps

# `npm install` rather than `npm ci`: the registries these machines reach serve native packages
# (swc, esbuild, the resolver bindings) only for Linux, so the lock file cannot list the other
# platforms' optional binaries, and `npm ci` rejects a lock without them. `npm install` still takes
# every version from the lock file.
node_modules/.package-lock.json: package-lock.json package.json
	npm install --no-audit --no-fund

deps: node_modules/.package-lock.json

start: deps
	npm start

test: deps
	npm test
