#!/usr/bin/env bash
# Browser tests use Debian's Chromium and a CJK font, never a downloaded browser (environment.md).
set -u
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi -e wqy -e "noto sans cjk"; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian chromium and a CJK font for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null && exit 0
fi
echo "warning: /usr/bin/chromium is missing; browser tests will be skipped (install Debian's chromium)." >&2
exit 0
