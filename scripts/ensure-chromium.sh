#!/usr/bin/env bash
# Debian's Chromium for the editor test (browsers can't be downloaded by test tools here). Idempotent.
set -euo pipefail
# CHROMIUM_PATH: another Chromium-based browser to use instead (e.g. Google Chrome on CI runners)
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then echo "ensure-chromium: need root to apt-get install chromium" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver >/dev/null
/usr/bin/chromium --version
