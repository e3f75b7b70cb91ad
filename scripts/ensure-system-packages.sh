#!/usr/bin/env bash
# Opinions (PDF) are rendered by WeasyPrint, which needs Pango and a CJK font from the system
# (environment.md: without a CJK font Chinese comes out as empty boxes). Installs them on Debian as root.
set -u
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-microhei"
have_pango() { ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0"; }
have_font() { fc-list 2>/dev/null | grep -qi -e wqy -e "noto sans cjk"; }
if have_pango && have_font; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Pango and a CJK font for the PDF opinions…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq $PACKAGES >/dev/null && exit 0
fi
echo "warning: Pango or a CJK font is missing; PDF opinions cannot be rendered (apt-get install $PACKAGES)." >&2
exit 0
