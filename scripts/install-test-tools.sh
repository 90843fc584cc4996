#!/usr/bin/env bash
# Tools the tests drive that come from Debian, not PyPI: Chromium for browser tests and
# poppler-utils to render PDFs. Installed only where missing; needs root (CI runs as root).
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "Browser tests need: ${missing[*]} (apt-get install ${missing[*]}); they will be skipped." >&2
        exit 0
    fi
    echo "Installing ${missing[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
