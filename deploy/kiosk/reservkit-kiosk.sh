#!/bin/sh
# Starts the station's touchscreen: Chromium in kiosk mode on the local station, in Swedish.
# --lang=sv-SE (and LANG) make dates, numbers and the browser's own words Swedish whatever the
# machine's locale; the other flags keep a kiosk a kiosk: no first-run or restore bubbles, no
# translate bar, no pinch zoom, no swipe-back navigation, no error dialogs, no background traffic.
# Run it from the kiosk user's session (reservkit-kiosk.desktop in ~/.config/autostart does that).
set -eu

URL="${RESERVKIT_URL:-http://127.0.0.1:8080/}"
PROFILE="${RESERVKIT_KIOSK_PROFILE:-$HOME/.cache/reservkit-kiosk}"
CHROMIUM="${RESERVKIT_CHROMIUM:-$(command -v chromium || command -v chromium-browser)}"

# Wait (up to a minute) for the station to answer, so the kiosk never opens on an error page.
i=0
while [ "$i" -lt 60 ]; do
  if command -v curl >/dev/null 2>&1 && curl -fsS -o /dev/null "$URL"; then break; fi
  command -v curl >/dev/null 2>&1 || break
  i=$((i + 1))
  sleep 1
done

# A crash or power cut must not bring up "Restore pages?": a fresh profile each start.
rm -rf "$PROFILE"
mkdir -p "$PROFILE"

export LANG=sv_SE.UTF-8 LANGUAGE=sv_SE:sv
exec "$CHROMIUM" \
  --kiosk \
  --lang=sv-SE \
  --accept-lang=sv-SE,sv \
  --user-data-dir="$PROFILE" \
  --no-first-run \
  --noerrdialogs \
  --disable-infobars \
  --disable-session-crashed-bubble \
  --disable-translate \
  --disable-features=Translate,TranslateUI,OverscrollHistoryNavigation,TouchpadOverscrollHistoryNavigation \
  --overscroll-history-navigation=0 \
  --disable-pinch \
  --disable-sync \
  --disable-background-networking \
  --disable-component-update \
  --password-store=basic \
  --check-for-update-interval=31536000 \
  --touch-events=enabled \
  "$URL"
