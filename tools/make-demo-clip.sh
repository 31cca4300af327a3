#!/usr/bin/env bash
# Makes the speech clip bundled in the jar (src/main/resources/demo/voxmorph-demo.wav), used by the
# demo run and by `bench` on machines without ../shared/speech. Needs: espeak-ng, sox (Debian).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/src/main/resources/demo/voxmorph-demo.wav"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
text="Hello, this is Voxmorph. The quick brown fox jumps over the lazy dog. \
My voice is being changed in real time, and it should still be clear and easy to understand."
espeak-ng -v en-us+m3 -s 150 -p 45 -w "$tmp/a.wav" "$text"
sox "$tmp/a.wav" -r 16000 -c 1 -b 16 "$out" norm -3
echo "wrote $out ($(soxi -D "$out") s)"
