#!/usr/bin/env bash
# How much of a continuous voice live mode loses into the virtual microphone, on the private
# PulseAudio server (tools/start-pulseaudio.sh). Not part of the test run.
#
#   tools/measure-live-loss.sh [BACKEND] [SECONDS] [PRESET] [VOICE OPTIONS...]   (defaults: portaudio 40 deep)
#   HOG=1 tools/measure-live-loss.sh ...       also runs stress-ng --cpu 2 meanwhile
#   SPEECH=1 tools/measure-live-loss.sh ...    speech instead of the tone (needed for a neural model)
#   KEEP=1 ...                                 keeps the recordings (the folder is printed)
#   SERVER_RT=1 ...                            runs the server's main thread at real-time priority (RR 5)
#     for the measurement, then puts it back. A desktop PulseAudio runs that thread, which carries every
#     client's samples between socket and sink, without real-time priority (nice -11), as tools/start-pulseaudio.sh
#     does; a busy machine delays it by tens of milliseconds now and then, and that is where the underruns
#     come from (compare the two).
#
# Tone (default): a 200 Hz tone at -12 dBFS plays into the test microphone, `live --virtual-mic`
# converts it, the virtual microphone's sink monitor is recorded, and every 10 ms block below
# -34 dBFS counts as lost. Speech (SPEECH=1): VCTK p225's sentences loop into the test microphone;
# what live mode heard (the microphone's monitor) is converted offline with `convert` and the same
# voice options, and a 10 ms block of that reference's speech counts as lost when the recording,
# aligned to it by the energy envelope (followed block by block within ±100 ms), is more than 10 dB
# below it there (as LivePulseAudioTest's SpeechLoss.measureLevel measures, which moves 25 ms a block at most), and below the same
# reference rendered at nine other phases of the hop (see below).
# Example: SPEECH=1 HOG=1 tools/measure-live-loss.sh portaudio 120 passthrough --model voxmorph-voices
#
# Needs pulseaudio, pulseaudio-utils, python3-numpy (and stress-ng for HOG=1).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
backend=${1:-portaudio}
seconds=${2:-40}
preset=${3:-deep}
voice=(--preset "$preset" "${@:4}")
eval "$(tools/start-pulseaudio.sh)"
work="$(mktemp -d)"
pids=()
server="$(cat "$XDG_RUNTIME_DIR/pulse/pid")"
restore=()
if [[ -n ${SERVER_RT:-} ]]; then
  restore=(chrt -o -p 0 "$server")
  chrt -r -p 5 "$server"
fi
trap 'kill "${pids[@]}" 2>/dev/null || true; [[ ${#restore[@]} -gt 0 ]] && "${restore[@]}"; [[ -n ${KEEP:-} ]] && echo "kept: $work" || rm -rf "$work"' EXIT

if [[ -n ${SPEECH:-} ]]; then
  python3 - "$work/source.wav" $((seconds + 30)) ../shared/speech/vctk_p225 <<'PY'
import sys, wave, glob, numpy as np
parts = []
for f in sorted(glob.glob(sys.argv[3] + '/*.wav')):
    w = wave.open(f); parts.append(np.frombuffer(w.readframes(w.getnframes()), '<i2')); rate = w.getframerate()
x = np.concatenate(parts); x = np.tile(x, int(np.ceil(int(sys.argv[2]) * rate / len(x))))[: int(sys.argv[2]) * rate]
w = wave.open(sys.argv[1], 'wb'); w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate); w.writeframes(x.tobytes()); w.close()
PY
else
  python3 - "$work/source.wav" $((seconds + 30)) <<'PY'
import sys, wave, numpy as np
rate = 48000
t = np.arange(int(sys.argv[2]) * rate) / rate
w = wave.open(sys.argv[1], 'wb'); w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
w.writeframes((0.25 * np.sin(2 * np.pi * 200 * t) * 32767).astype('<i2').tobytes()); w.close()
PY
fi
./voxmorph --help >/dev/null  # builds the jar first if needed, outside the measurement
paplay -d voxmorph_test_mic "$work/source.wav" & pids+=($!)
./voxmorph live --backend "$backend" --input pulse:voxmorph_test_mic.monitor --virtual-mic \
  "${voice[@]}" --seconds $((seconds + 10)) >"$work/live.log" 2>&1 & live=$!; pids+=($live)
for _ in $(seq 300); do grep -q "live on" "$work/live.log" && break; sleep 0.1; done
sleep 3
if [[ -n ${HOG:-} ]]; then stress-ng --cpu 2 --timeout $((seconds + 2))s >/dev/null 2>&1 & pids+=($!); fi
parecord --raw --format=s16le --rate=48000 --channels=1 --latency-msec=10 -d voxmorph_sink.monitor \
  >"$work/out.raw" & rec=$!; pids+=($rec)
if [[ -n ${SPEECH:-} ]]; then
  parecord --raw --format=s16le --rate=48000 --channels=1 --latency-msec=10 -d voxmorph_test_mic.monitor \
    >"$work/heard.raw" & heard=$!; pids+=($heard)
fi
sleep "$seconds"
kill "$rec"; wait "$rec" 2>/dev/null || true
[[ -n ${SPEECH:-} ]] && { kill "$heard"; wait "$heard" 2>/dev/null || true; }
load=$(cut -d' ' -f1 /proc/loadavg)
kill "$live"; wait "$live" 2>/dev/null || true
label="$backend, ${voice[*]}, load $load ${HOG:+with stress-ng --cpu 2}${SERVER_RT:+, server main thread at RR 5}"
if [[ -z ${SPEECH:-} ]]; then
python3 - "$work/out.raw" "$label" <<'PY'
import sys, numpy as np
x = np.frombuffer(open(sys.argv[1], 'rb').read(), '<i2').astype(float) / 32768
b = 480; n = len(x) // b
lost = np.sqrt((x[:n * b].reshape(n, b) ** 2).mean(1)) < 0.02
gaps, run = [], 0
for q in lost:
    if q: run += 1
    elif run: gaps.append(run * 10); run = 0
if run: gaps.append(run * 10)
print("%s: %.1f s recorded, %.2f s lost (%.2f %%), %d gaps, longest %d ms"
      % (sys.argv[2], n / 100, lost.sum() / 100, 100 * lost.mean() if n else 0, len(gaps), max(gaps, default=0)))
PY
else
python3 - "$work/heard.raw" "$work/heard.wav" <<'PY'
import sys, wave
d = open(sys.argv[1], 'rb').read()
w = wave.open(sys.argv[2], 'wb'); w.setnchannels(1); w.setsampwidth(2); w.setframerate(48000); w.writeframes(d); w.close()
PY
# A neural model is not indifferent to where its 10 ms hop falls, and live mode's falls anywhere:
# offline renders 7.5 ms of hop apart differ under this measure by 0.17 %, with 20 ms stretches where
# a word ends a block earlier at one phase than at another (10 dB quieter there). So the reference
# is rendered at ten phases across the hop (1 ms apart: that much silence first, cut off after), and
# a block counts against the quietest render: what the model itself does at some phase is not lost.
refs=()
for phase in 0 48 96 144 192 240 288 336 384 432; do
  python3 - "$work/heard.wav" "$work/in-$phase.wav" "$phase" <<'PY'
import sys, wave
w = wave.open(sys.argv[1]); d = w.readframes(w.getnframes())
o = wave.open(sys.argv[2], 'wb'); o.setnchannels(1); o.setsampwidth(2); o.setframerate(48000)
o.writeframes(bytes(2 * int(sys.argv[3])) + d); o.close()
PY
  nice -n 10 ./voxmorph convert "$work/in-$phase.wav" "$work/out-$phase.wav" "${voice[@]}" >/dev/null
  python3 - "$work/out-$phase.wav" "$work/offline-$phase.wav" "$phase" <<'PY'
import sys, wave
w = wave.open(sys.argv[1]); w.readframes(int(sys.argv[3])); d = w.readframes(w.getnframes())
o = wave.open(sys.argv[2], 'wb'); o.setnchannels(1); o.setsampwidth(2); o.setframerate(48000); o.writeframes(d); o.close()
PY
  rm -f "$work/in-$phase.wav" "$work/out-$phase.wav"
  refs+=("$work/offline-$phase.wav")
done
python3 tools/speech-loss.py "$(IFS=,; echo "${refs[*]}")" "$work/out.raw" "$label"
fi
echo "underruns ALSA reported: $(grep -c 'underrun occurred' "$work/live.log" || true)"
echo "last status: $(grep '^in ' "$work/live.log" | tail -1)"
