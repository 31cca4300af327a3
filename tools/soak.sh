#!/usr/bin/env bash
# Memory soak (not part of the test run): runs live mode for N minutes on the file backend (a
# speech clip looped as the microphone at real-time pace, no sound device needed), samples the
# JVM's resident memory (RSS, which includes native memory: ONNX Runtime, direct buffers, JNA)
# every 10 s, and reports RSS after minute 1 against the end.
#
#   tools/soak.sh [MINUTES] [live options...]     default: 10 minutes, --model voxmorph-voices
#   nice -n 10 tools/soak.sh 60 --preset deep     the 1-hour figure, DSP only
#
# Writes every sample to soak-rss.tsv (seconds, RSS in kB) in the current folder.
#
# The Java heap is fixed and touched at start (-Xms = -Xmx, AlwaysPreTouch): otherwise G1 touches
# more of its committed heap as garbage comes and goes, and RSS climbs for many minutes with no
# leak at all. With the heap fixed, growth after the first minute is native memory, metaspace or
# code cache: what a leak would show in.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes="${1:-10}"
shift || true
opts=("$@")
if [[ ${#opts[@]} -eq 0 ]]; then
  opts=(--model voxmorph-voices)
fi
input="${SOAK_INPUT:-$root/../shared/speech/vctk_p225/p225_003.wav}"
[[ -f $input ]] || { echo "soak: no input clip $input (set SOAK_INPUT=FILE.wav)" >&2; exit 2; }

"$root/voxmorph" --version >/dev/null  # builds the jar first, so that what runs below is the JVM itself
log="$(mktemp)"
VOXMORPH_JAVA_OPTS="-Xms96m -Xmx96m -XX:+AlwaysPreTouch -Dvoxmorph.file.input=$input ${VOXMORPH_JAVA_OPTS:-}" \
  "$root/voxmorph" live --backend file --seconds $((minutes * 60)) "${opts[@]}" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null; }
: >soak-rss.tsv
start=$(date +%s)
at_minute=""
last=""
while kill -0 "$pid" 2>/dev/null; do
  sleep 10
  now=$(($(date +%s) - start))
  r="$(rss)" || true
  [[ -n $r ]] || break
  printf '%d\t%d\n' "$now" "$r" >>soak-rss.tsv
  [[ -z $at_minute && $now -ge 60 ]] && at_minute=$r
  last=$r
done
wait "$pid" || { echo "soak: live mode failed:" >&2; tail -5 "$log" >&2; exit 1; }
if [[ -z $at_minute || -z $last ]]; then
  echo "soak: ran less than a minute; nothing to compare" >&2
  exit 1
fi
echo "soak: live ${opts[*]} for $minutes min: RSS after minute 1 $((at_minute / 1024)) MB, at the end $((last / 1024)) MB," \
  "growth $(((last - at_minute) / 1024)) MB ($(((last - at_minute))) kB; samples in soak-rss.tsv)"
tail -1 "$log"
