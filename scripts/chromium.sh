#!/usr/bin/env bash
# Headless Chromium for the dashboard's browser test (tests/python/test_dashboard.py).
#
#   scripts/chromium.sh ensure   install Debian's `chromium` package if $SKW_CHROMIUM is missing,
#                                and a Japanese font (fonts-ipafont-gothic) if none is installed,
#                                so the Japanese labels in the test's screenshots are legible
#   scripts/chromium.sh path     print the browser's path (exit 1 when it is not installed)
#   scripts/chromium.sh version  print the browser's version
#
# Playwright drives this browser through `executable_path`; Playwright's own browser download is
# never used (it needs the internet and a matching build). $SKW_CHROMIUM overrides the path
# (default /usr/bin/chromium).
set -euo pipefail

CHROMIUM="${SKW_CHROMIUM:-/usr/bin/chromium}"

log() { echo "[chromium.sh] $*" >&2; }

missing_packages() {
    [[ -x "$CHROMIUM" ]] || echo chromium
    if ! command -v fc-list >/dev/null || [[ -z "$(fc-list :lang=ja 2>/dev/null)" ]]; then
        echo fonts-ipafont-gothic
    fi
}

ensure() {
    local packages
    packages="$(missing_packages | tr '\n' ' ')"
    if [[ -z "${packages// /}" ]]; then
        return
    fi
    if [[ "$(id -u)" != 0 ]]; then
        log "missing: $packages— this is not root: run 'sudo apt-get install $packages'" \
            "(or set SKW_CHROMIUM to a Chromium binary)"
        exit 1
    fi
    if ! command -v apt-get >/dev/null; then
        log "missing: $packages— there is no apt-get: install Chromium and set SKW_CHROMIUM to it"
        exit 1
    fi
    log "installing $packages from the Debian packages"
    apt-get update -qq
    # shellcheck disable=SC2086  # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null
    [[ -x "$CHROMIUM" ]] || { log "apt-get installed chromium but $CHROMIUM is still missing"; exit 1; }
}

case "${1:-}" in
    ensure) ensure; log "$("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")" ;;
    path) [[ -x "$CHROMIUM" ]] && echo "$CHROMIUM" ;;
    version) "$CHROMIUM" --version ;;
    *) echo "usage: $0 ensure|path|version" >&2; exit 2 ;;
esac
