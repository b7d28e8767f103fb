#!/usr/bin/env bash
# Installs the Debian packages the tests need (run as root): the reference IPP printer
# (ippeveprinter, with a private D-Bus), poppler (pdftotext, pdftoppm), zbar and dmtx (barcode
# decoding), qpdf (structural check of every PDF), Chromium (browser tests), prometheus (promtool
# check/test rules on deploy/prometheus and a real Prometheus scraping a station), systemd
# (systemd-analyze verify on deploy/reservkit.service) and ansible-core (ansible-playbook
# --syntax-check on deploy/ansible), and LPrint (an IPP front end for ZPL label printers, tested between
# the station and a raw-TCP test printer). --no-install-recommends keeps avahi and
# libnss-mdns out (they would rewrite /etc/nsswitch.conf).
set -euo pipefail
need=(cups-ipp-utils dbus-daemon poppler-utils zbar-tools dmtx-utils fonts-dejavu-core chromium qpdf prometheus systemd ansible-core lprint)
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
