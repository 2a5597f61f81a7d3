#!/usr/bin/env bash
# Runs every `go test -fuzz` target in the module for $FUZZTIME each (2000 inputs in `make test`:
# a count, not a duration, since a short -fuzztime can expire during the baseline run on a busy
# machine and fail with "context deadline exceeded"; longer by
# hand: FUZZTIME=5m make fuzz). New crashers land in testdata/fuzz and fail the run.
set -euo pipefail
fuzztime=${FUZZTIME:-2000x}
status=0
while IFS= read -r line; do
  file=${line%%:*}
  name=$(sed -E 's/^func (Fuzz[A-Za-z0-9_]*)\(.*/\1/' <<<"${line#*:}")
  pkg=./$(dirname "$file")
  echo "fuzz: $pkg $name ($fuzztime)"
  if ! go test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" "$pkg" >/tmp/imgcdn-fuzz.log 2>&1; then
    cat /tmp/imgcdn-fuzz.log
    status=1
  fi
done < <(git ls-files '*_test.go' | xargs grep -H -E '^func Fuzz[A-Za-z0-9_]*\(' || true)
exit $status
