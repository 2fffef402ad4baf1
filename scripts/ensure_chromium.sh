#!/usr/bin/env bash
# Installs what the HTML-report browser tests need, when missing: Debian's chromium and a font that
# renders kanji (fonts-noto-cjk). Only as root with apt-get; otherwise it says what is missing and
# exits 1, so the tests fail loudly instead of passing without a browser.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ! { command -v fc-list >/dev/null 2>&1 && fc-list ':lang=ja' family | grep -q 'Noto Sans CJK'; }; then
    missing+=(fonts-noto-cjk)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: missing ${missing[*]}; install them (as root: apt-get install -y ${missing[*]})" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" fontconfig >/dev/null
command -v chromium >/dev/null 2>&1 || { echo "ensure_chromium: chromium still missing after apt-get" >&2; exit 1; }
