#!/usr/bin/env bash
# Voxmorph's test command (README): sets up what the tests need on a fresh Debian machine (the
# packages in tools/test-packages.txt, a private PulseAudio server), then runs the whole JUnit
# suite with Maven. Safe to run again: every step checks before it acts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

missing=()
while read -r pkg; do
  [[ -z $pkg ]] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < tools/test-packages.txt
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "run-tests: please install (Debian): ${missing[*]}" >&2
    exit 2
  fi
fi

if [[ ! -d ../shared/speech ]]; then
  echo "run-tests: ../shared/speech is missing; the tests measure on that real speech (see README)" >&2
  exit 2
fi

# Live-mode tests play and record through a real sound server.
eval "$(tools/start-pulseaudio.sh)"

exec mvn -B verify
