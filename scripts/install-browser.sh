#!/usr/bin/env bash
# Install the system Chromium that the browser test of the docs site uses
# (tests/test_docs_browser.py, marker "browser"). It needs Debian/Ubuntu's apt
# and root; anywhere else it explains what to do and exits 0, and the browser
# test skips with a clear reason.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    echo "install-browser: /usr/bin/chromium is already installed"
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: need root and apt-get to install Chromium; skipping." >&2
    echo "install-browser: install a Chromium at /usr/bin/chromium yourself to run the browser test." >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium
echo "install-browser: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
