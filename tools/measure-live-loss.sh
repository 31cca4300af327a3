#!/usr/bin/env bash
# How much of a continuous voice live mode loses into the virtual microphone, on the private
# PulseAudio server (tools/start-pulseaudio.sh): a 200 Hz tone at -12 dBFS plays into the test
# microphone, `live --virtual-mic` converts it, and the virtual microphone's sink monitor is
# recorded; every 10 ms block below -34 dBFS counts as lost. Not part of the test run.
#
#   tools/measure-live-loss.sh [BACKEND] [SECONDS] [PRESET]     (defaults: portaudio 40 deep)
#   HOG=1 tools/measure-live-loss.sh ...                         also runs stress-ng --cpu 2 meanwhile
#
# Needs pulseaudio, pulseaudio-utils, python3-numpy (and stress-ng for HOG=1).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
backend=${1:-portaudio}
seconds=${2:-40}
preset=${3:-deep}
eval "$(tools/start-pulseaudio.sh)"
work="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

python3 - "$work/tone.wav" $((seconds + 30)) <<'PY'
import sys, wave, numpy as np
rate = 48000
t = np.arange(int(sys.argv[2]) * rate) / rate
w = wave.open(sys.argv[1], 'wb'); w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
w.writeframes((0.25 * np.sin(2 * np.pi * 200 * t) * 32767).astype('<i2').tobytes()); w.close()
PY
./voxmorph --help >/dev/null  # builds the jar first if needed, outside the measurement
paplay -d voxmorph_test_mic "$work/tone.wav" & pids+=($!)
./voxmorph live --backend "$backend" --input pulse:voxmorph_test_mic.monitor --virtual-mic \
  --preset "$preset" --seconds $((seconds + 10)) >"$work/live.log" 2>&1 & live=$!; pids+=($live)
for _ in $(seq 200); do grep -q "live on" "$work/live.log" && break; sleep 0.1; done
sleep 3
if [[ -n ${HOG:-} ]]; then stress-ng --cpu 2 --timeout $((seconds + 2))s >/dev/null 2>&1 & pids+=($!); fi
parecord --raw --format=s16le --rate=48000 --channels=1 --latency-msec=10 -d voxmorph_sink.monitor \
  >"$work/out.raw" & rec=$!; pids+=($rec)
sleep "$seconds"
kill "$rec"; wait "$rec" 2>/dev/null || true
load=$(cut -d' ' -f1 /proc/loadavg)
kill "$live"; wait "$live" 2>/dev/null || true
python3 - "$work/out.raw" "$backend" "$preset" "$load" "${HOG:+with stress-ng --cpu 2}" <<'PY'
import sys, numpy as np
x = np.frombuffer(open(sys.argv[1], 'rb').read(), '<i2').astype(float) / 32768
b = 480; n = len(x) // b
lost = np.sqrt((x[:n * b].reshape(n, b) ** 2).mean(1)) < 0.02
gaps, run = [], 0
for q in lost:
    if q: run += 1
    elif run: gaps.append(run * 10); run = 0
if run: gaps.append(run * 10)
print("%s, %s, load %s %s: %.1f s recorded, %.2f s lost (%.2f %%), %d gaps, longest %d ms"
      % (sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], n / 100, lost.sum() / 100,
         100 * lost.mean() if n else 0, len(gaps), max(gaps, default=0)))
PY
echo "underruns ALSA reported: $(grep -c 'underrun occurred' "$work/live.log" || true)"
