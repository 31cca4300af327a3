#!/usr/bin/env bash
# The pitch-shift comparison table (README "Why TD-PSOLA with mixed periods"): Voxmorph's
# shifter and rubberband on the four VCTK speakers, Praat's To Pitch as the independent meter.
#   tools/measure-pitch-shift.sh [RATE] [SHIFTS] [UTTERANCES] [METHODS]
# Needs praat and rubberband; reads ../shared/speech. Takes a few minutes per method on one core.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt >/dev/null
cp="target/classes:target/test-classes:$(cat target/test-cp.txt)"
exec nice -n 10 java ${JOPTS:-} -cp "$cp" org.voxmorph.dsp.ShiftComparison "${1:-16000}" "${2:--19,-13,-12,-11,-7,4,7,11,12,13,19}" \
  "${3:-003,008}" "${4:-voxmorph,rubberband-r3}"
