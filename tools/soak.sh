#!/usr/bin/env bash
# Memory soak (not part of the test run): runs live mode for N minutes, samples the JVM's resident
# memory (RSS, which includes native memory: ONNX Runtime, direct buffers, JNA, libpulse) every
# 10 s, and reports RSS after minute 1 against the end.
#
#   tools/soak.sh [MINUTES] [live options...]     default: 10 minutes, --model voxmorph-voices
#   nice -n 10 tools/soak.sh 60 --preset deep     the 1-hour figure, DSP only
#   SOAK_BACKEND=pulse tools/soak.sh 60 --preset deep
#
# Backends: `file` (default; a speech clip looped as the microphone at real-time pace, no sound
# device needed) or `pulse` (the private PulseAudio server of tools/start-pulseaudio.sh: the clip
# loops into the test microphone with paplay, and live mode plays into the virtual microphone, as
# a streamer runs it). SOAK_NMT=1 also turns on the JVM's native memory tracking and writes what
# each of its categories gained after minute 1 to soak-nmt.txt (memory that libpulse, ONNX
# Runtime or glibc's allocator keep themselves is not in it, only in RSS).
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
backend="${SOAK_BACKEND:-file}"
input="${SOAK_INPUT:-$root/../shared/speech/vctk_p225/p225_003.wav}"
[[ -f $input ]] || { echo "soak: no input clip $input (set SOAK_INPUT=FILE.wav)" >&2; exit 2; }

"$root/voxmorph" --version >/dev/null  # builds the jar first, so that what runs below is the JVM itself
work="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
java_opts="-Xms96m -Xmx96m -XX:+AlwaysPreTouch"
[[ -n ${SOAK_NMT:-} ]] && java_opts+=" -XX:NativeMemoryTracking=summary"
# Live mode runs a minute past the soak, so that the last samples (and NMT's figures) come from a
# running engine; it is then stopped with SIGTERM, as a service manager stops it (a script's
# background job ignores Ctrl-C's SIGINT, and so does the JVM it starts).
seconds=$((minutes * 60 + 60))
case $backend in
  file)
    VOXMORPH_JAVA_OPTS="$java_opts -Dvoxmorph.file.input=$input ${VOXMORPH_JAVA_OPTS:-}" \
      "$root/voxmorph" live --backend file --seconds "$seconds" "${opts[@]}" >"$work/live.log" 2>&1 &
    ;;
  pulse)
    eval "$("$root/tools/start-pulseaudio.sh")"
    sox "$input" -r 48000 "$work/clip.wav"
    (while true; do paplay -d voxmorph_test_mic "$work/clip.wav" || exit; done) &
    pids+=($!)
    VOXMORPH_JAVA_OPTS="$java_opts ${VOXMORPH_JAVA_OPTS:-}" \
      "$root/voxmorph" live --backend pulse --input pulse:voxmorph_test_mic.monitor --virtual-mic \
      --seconds "$seconds" "${opts[@]}" >"$work/live.log" 2>&1 &
    ;;
  *) echo "soak: unknown backend $backend (file or pulse)" >&2; exit 2 ;;
esac
pid=$!
pids+=("$pid")

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null; }
: >soak-rss.tsv
start=$(date +%s)
at_minute=""
last=""
now=0
while ((now < minutes * 60)) && kill -0 "$pid" 2>/dev/null; do
  sleep 10
  now=$(($(date +%s) - start))
  r="$(rss)" || true
  [[ -n $r ]] || break
  printf '%d\t%d\n' "$now" "$r" >>soak-rss.tsv
  if [[ -z $at_minute && $now -ge 60 ]]; then
    at_minute=$r
    [[ -n ${SOAK_NMT:-} ]] && jcmd "$pid" VM.native_memory baseline >/dev/null
  fi
  last=$r
done
if ! kill -0 "$pid" 2>/dev/null; then
  echo "soak: live mode ended early:" >&2
  tail -5 "$work/live.log" >&2
  exit 1
fi
[[ -n ${SOAK_NMT:-} && -n $at_minute ]] && jcmd "$pid" VM.native_memory summary.diff >soak-nmt.txt
status="$(grep -a '^in ' "$work/live.log" | tail -1 || true)"
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
# 143: the JVM's exit on SIGTERM once its shutdown hooks (which stop live mode) have run.
if [[ $code -ne 0 && $code -ne 143 ]]; then
  echo "soak: live mode did not stop cleanly (exit $code):" >&2
  tail -5 "$work/live.log" >&2
  exit 1
fi
if [[ -z $at_minute || -z $last ]]; then
  echo "soak: ran less than a minute; nothing to compare" >&2
  exit 1
fi
echo "soak: live --backend $backend ${opts[*]} for $minutes min: RSS after minute 1 $((at_minute / 1024)) MB," \
  "at the end $((last / 1024)) MB, growth $(((last - at_minute) / 1024)) MB ($((last - at_minute)) kB;" \
  "samples in soak-rss.tsv${SOAK_NMT:+, native memory by category in soak-nmt.txt})"
echo "last status: $status"
