#!/usr/bin/env bash
# Makes sure the headless Chromium the login/consent page tests drive is installed.
# On Debian/Ubuntu as root (CI, containers) it installs the distribution's package;
# elsewhere it only says what is missing, and those tests skip unless
# SANDBANK_BROWSER=require.
set -euo pipefail
for name in "${SANDBANK_CHROMIUM:-}" chromium chromium-browser google-chrome google-chrome-stable; do
	if [ -n "$name" ] && command -v "$name" >/dev/null 2>&1; then
		exit 0
	fi
done
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	echo "installing Debian's chromium for the browser tests..."
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
	command -v chromium >/dev/null
	exit 0
fi
echo "note: no Chromium found; the browser tests will skip (install chromium, or set SANDBANK_CHROMIUM)" >&2
