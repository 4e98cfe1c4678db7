#!/usr/bin/env bash
# The HTML report is checked in a real headless Chromium; install Debian's when it is missing.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
