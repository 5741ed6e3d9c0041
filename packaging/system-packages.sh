#!/bin/sh
# Installs the Debian/Ubuntu packages named in $PACKAGES that are missing: as root with apt-get,
# otherwise prints the one command to run. Elsewhere (macOS, Windows) it says what to install.
set -u
missing=""
if command -v dpkg-query >/dev/null 2>&1; then
    for p in $PACKAGES; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        case "$status" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
    done
else
    echo "note: not a Debian/Ubuntu system; install PortAudio (e.g. 'brew install portaudio') for sound." >&2
    exit 0
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing system packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null \
        || { echo "apt-get failed for:$missing" >&2; exit 1; }
else
    echo "missing system packages:$missing" >&2
    echo "run:  sudo apt-get install$missing" >&2
    # the app still starts without them (playback disabled); tests that need them are skipped
fi
