#!/usr/bin/env bash
# Lints the OpenAPI documents exactly as sandbank serves them (GET
# /_sandbox/openapi/<file>) with Redocly's recommended ruleset; any error fails.
# Redocly CLI comes from the npm registry, pinned, installed once into a cache
# directory (not the repository). Without npm it only says so, unless
# SANDBANK_OPENAPI_LINT=require (CI), when a missing npm fails.
set -euo pipefail
cd "$(dirname "$0")/.."
REDOCLY_VERSION=2.77.0
cache="${SANDBANK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sandbank}/redocly-cli-$REDOCLY_VERSION"
bin="$cache/node_modules/.bin/redocly"
if [ ! -x "$bin" ]; then
	if ! command -v npm >/dev/null 2>&1; then
		if [ "${SANDBANK_OPENAPI_LINT:-}" = require ]; then
			echo "openapi-lint: npm is required (SANDBANK_OPENAPI_LINT=require) but not installed" >&2
			exit 1
		fi
		echo "note: no npm found; the OpenAPI lint is skipped (install Node.js, or set SANDBANK_OPENAPI_LINT=require to fail)" >&2
		exit 0
	fi
	echo "installing @redocly/cli@$REDOCLY_VERSION into $cache..."
	mkdir -p "$cache"
	npm install --prefix "$cache" --no-audit --no-fund --loglevel=error "@redocly/cli@$REDOCLY_VERSION" >/dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go run ./cmd/sandbank openapi "$out" >/dev/null
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1
# Warnings (a 4xx per operation, a license) are listed; errors fail.
cd "$out"
"$bin" lint --extends=recommended --format=summary ./*.yaml 2>&1 | grep -v '[║╔╚]' | sed '/^[[:space:]]*$/d'
