#!/usr/bin/env bash
# Renders the control panel to docs/panel.png (README shows it): JavaFX headless through Monocle
# with software rendering, so no display or sound server is needed. Run it after changing the panel.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p docs
mvn -B -q test-compile
cpfile="$(mktemp)"
trap 'rm -f "$cpfile"' EXIT
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >/dev/null
java -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw -Djava.awt.headless=true \
  -Dvoxmorph.home="$root" -cp "target/classes:target/test-classes:$(cat "$cpfile")" \
  org.voxmorph.ui.RenderPanel docs/panel.png
