#!/usr/bin/env bash
# The noise-suppression table (README "Noise suppression"): the denoise processor on the four VCTK
# speakers mixed with fan, hum, keyboard and babble noise at 0, 5, 10 and 20 dB SNR.
#   tools/measure-denoise.sh                         the classical denoiser's table
#   tools/measure-denoise.sh dump DIR                every evaluation input as DIR/KEY.f32 (float32 LE)
#   tools/measure-denoise.sh compare DIR SUFFIX LAT  classical against DIR/KEY.SUFFIX.f32, LAT samples late
#                                                    (tools/train/denoise_net.py run DIR writes SUFFIX net, LAT 320)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt >/dev/null
exec nice -n 10 java -cp "target/classes:target/test-classes:$(cat target/test-cp.txt)" org.voxmorph.engine.NoisySpeech "$@"
