#!/usr/bin/env bash
# Starts a private PulseAudio server for live-mode tests (CI runs as root, with no session bus and
# no sound card) and prints the environment to use it:   eval "$(tools/start-pulseaudio.sh)"
# Idempotent: when the server is already up it only prints the environment again.
# It provides a null sink "voxmorph_test_mic" (whose monitor is the test microphone) and a null
# sink "voxmorph_test_out" (what live mode plays into; its monitor is what the test records), and
# "voxmorph_test_headphones" for --monitor.
set -euo pipefail
runtime="${VOXMORPH_PULSE_RUNTIME:-/tmp/voxmorph-pulse}"
mkdir -p "$runtime"
chmod 700 "$runtime"
export XDG_RUNTIME_DIR="$runtime"
export PULSE_SERVER="unix:$runtime/pulse/native"

if ! pactl info >/dev/null 2>&1; then
  command -v pulseaudio >/dev/null || {
    echo "start-pulseaudio: pulseaudio is not installed (Debian: apt-get install pulseaudio pulseaudio-utils libasound2-plugins)" >&2
    exit 2
  }
  # -n: no default.pa, so nothing probes for hardware or a session bus; we load exactly what we need.
  # module-always-sink keeps a sink present even if every other one is unloaded.
  pulseaudio --daemonize=yes --system=false --exit-idle-time=-1 -n \
    --log-target=file:"$runtime/pulseaudio.log" \
    --load="module-native-protocol-unix auth-anonymous=1" \
    --load="module-null-sink sink_name=voxmorph_test_mic rate=48000 sink_properties=device.description=Voxmorph_test_microphone" \
    --load="module-null-sink sink_name=voxmorph_test_out rate=48000 sink_properties=device.description=Voxmorph_test_output" \
    --load="module-null-sink sink_name=voxmorph_test_headphones rate=48000 sink_properties=device.description=Voxmorph_test_headphones" \
    --load=module-always-sink
  for _ in $(seq 50); do
    pactl info >/dev/null 2>&1 && break
    sleep 0.1
  done
  pactl info >/dev/null 2>&1 || { echo "start-pulseaudio: the server did not come up; see $runtime/pulseaudio.log" >&2; exit 1; }
  pactl set-default-source voxmorph_test_mic.monitor
  pactl set-default-sink voxmorph_test_out
fi
echo "export XDG_RUNTIME_DIR=$runtime"
echo "export PULSE_SERVER=unix:$runtime/pulse/native"
