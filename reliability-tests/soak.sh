#!/usr/bin/env bash
# Soak run (not part of CI): steady IPN traffic through the whole pipeline for N minutes (default 10) with a
# random fault every 20-40 s, then the fault ITs' audit. Report: reliability-tests/target/soak-report.txt.
#   reliability-tests/soak.sh [minutes]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-10}"
./mvnw -B -q -pl reliability-tests -am verify -Psoak -Dsoak.minutes="$minutes" \
  -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=SoakIT -Dfailsafe.failIfNoSpecifiedTests=false
cat reliability-tests/target/soak-report.txt
