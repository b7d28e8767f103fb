#!/usr/bin/env bash
# Installs the Debian packages the tests need (run as root): the reference IPP printer
# (ippeveprinter, with a private D-Bus), poppler (pdftotext, pdftoppm), zbar and dmtx (barcode
# decoding), qpdf (structural check of every PDF) and Chromium (browser tests). --no-install-recommends keeps avahi and
# libnss-mdns out (they would rewrite /etc/nsswitch.conf).
set -euo pipefail
need=(cups-ipp-utils dbus-daemon poppler-utils zbar-tools dmtx-utils fonts-dejavu-core chromium qpdf)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
