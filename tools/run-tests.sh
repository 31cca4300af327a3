#!/usr/bin/env bash
# Voxmorph's test command (README): sets up what the tests need on a fresh Debian machine, then runs
# the whole JUnit suite with Maven. Safe to run again: every step checks before it acts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

need=()
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
if ((${#need[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
  else
    echo "run-tests: please install: ${need[*]}" >&2; exit 2
  fi
fi

if [[ ! -d ../shared/speech ]]; then
  echo "run-tests: ../shared/speech is missing; the tests measure on that real speech (see README)" >&2
  exit 2
fi

exec mvn -B verify
