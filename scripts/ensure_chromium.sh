#!/usr/bin/env bash
# Installs what the HTML-report browser tests need, when missing: Debian's chromium, its chromedriver
# (chromium-driver, which Selenium drives; Selenium never downloads a driver of its own) and a font that
# renders kanji (fonts-noto-cjk). Only as root with apt-get; otherwise it says what is missing and
# exits 1, so the tests fail loudly instead of passing without a browser.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
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
for tool in chromium chromedriver; do
    command -v "$tool" >/dev/null 2>&1 || { echo "ensure_chromium: $tool still missing after apt-get" >&2; exit 1; }
done
