#!/usr/bin/env bash
# S3 benchmark of issues 2 and 3 (`make bench`). Builds imgcdn and the bench tools, then on this
# machine:
#
#   0. runs the policy micro-benchmarks (BenchmarkEvaluate in internal/policy, and
#      BenchmarkAuthorize in internal/s3api when it exists) before any server starts;
#   1. runs --rounds rounds, alternating which server goes first, each on fresh data dirs and
#      free loopback ports:
#      - `imgcdn serve` driven by imgcdn-bench with --pid: PUT/GET per size x concurrency, the
#        SSE-S3 cells (32KiB and 1MiB at concurrency 16, in a bucket with AES256 default
#        encryption, each right after its plain twin), and in the first round only the
#        listing of a 100,000-key bucket (aws-sdk-go-v2 and raw signed GETs) and the RSS
#        during a 1GiB multipart upload; client in aws-sdk-go-v2's default mode over http
#        (signed SHA-256 payload + CRC32 checksum);
#      - the 32KiB cells again against the same imgcdn with UNSIGNED-PAYLOAD and no checksums,
#        the client mode the baseline gets, so the imgcdn/gofsync ratio compares like with like;
#      - bench/gofsync (a bare Go file server that fsyncs each PUT: the ceiling of this disk and
#        CPU) with the same PUT/GET cells;
#   2. prints and writes bench/results/s3-<date>-<HHMM>.md (UTC): the summary over rounds (medians, with the
#      ratios taken within each round), the comparison with the issue's MinIO figures (quoted as
#      references; MinIO is not installed or run here), then every round's reports.
#
# Several short rounds rather than one long run: on a machine shared with other work, each
# ratio is then taken between runs minutes apart, and the spread over rounds shows the noise.
#
# Usage: bench/run-s3.sh [--quick] [--rounds 3] [--duration 4s] [--out FILE]
#   --quick      smoke test (about a minute): 1 round, 1 s phases, concurrency 16, 5,000 list
#                keys, 64MiB upload, SSE-S3 at 32KiB only
#   --rounds     rounds to run (default 3)
#   --duration   duration of each PUT and GET phase (default 4s; about 8 minutes in all on 2 cores)
set -euo pipefail

cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

quick=()
duration=4s
rounds=3
date=$(date -u +%Y-%m-%d)
stamp=$(date -u +%Y-%m-%d-%H%M)
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=(--quick); duration=1s; rounds=1 ;;
    --duration) duration=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "usage: $0 [--quick] [--rounds 3] [--duration 4s] [--out FILE]" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$out" ]; then
  # The time is in the name so that two runs of a day never overwrite each other's results.
  out=bench/results/s3-$stamp.md
  [ ${#quick[@]} -eq 0 ] || out=bench/results/s3-$stamp-quick.md
fi
cmdline="bench/run-s3.sh${quick[*]:+ ${quick[*]}} --rounds $rounds --duration $duration"

work=$(mktemp -d /tmp/imgcdn-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building into $work/bin"
go build -o "$work/bin/imgcdn" ./cmd/imgcdn
go build -o "$work/bin/imgcdn-bench" ./cmd/imgcdn-bench
go build -o "$work/bin/gofsync" ./bench/gofsync

# 0: policy evaluation per request (issue 3: well under 10 µs), before any server runs.
echo "policy micro-benchmarks"
policy_bench() {
  go test -run '^$' -bench "$1" -benchmem -benchtime=1s "$2" 2>&1 | grep -E '^Benchmark' || echo "($1 in $2 failed to run)"
}
{
  policy_bench BenchmarkEvaluate ./internal/policy
  if grep -qs 'func BenchmarkAuthorize' internal/s3api/*_test.go; then
    policy_bench BenchmarkAuthorize ./internal/s3api
  fi
} >"$work/policy.txt"

. bench/lib.sh # free_port; the script runs from the repository root

# wait_healthy URL PID: wait up to 30 s for URL to answer 200 while PID lives.
wait_healthy() {
  for _ in $(seq 300); do
    if curl -fs -o /dev/null "$1"; then return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then echo "server exited before answering $1" >&2; return 1; fi
    sleep 0.1
  done
  echo "timed out waiting for $1" >&2
  return 1
}

# stop PID: stop a server this script started.
stop() {
  kill "$1"
  wait "$1" || true
}

export AWS_ACCESS_KEY_ID=benchaccesskey
export AWS_SECRET_ACCESS_KEY=bench-secret-key-not-for-production
bench=("$work/bin/imgcdn-bench" --duration "$duration" "${quick[@]}")

# run_imgcdn ROUND: imgcdn in both client modes; the first round also lists and uploads big.
run_imgcdn() {
  local r=$1 extra=()
  [ "$r" -eq 1 ] || extra=(--list-keys 0 --big 0)
  local api=127.0.0.1:$(free_port)
  IMGCDN_ROOT_ACCESS_KEY=$AWS_ACCESS_KEY_ID IMGCDN_ROOT_SECRET_KEY=$AWS_SECRET_ACCESS_KEY \
    "$work/bin/imgcdn" serve --data "$work/imgcdn-data-$r" --api "$api" \
    --http "127.0.0.1:$(free_port)" --https "127.0.0.1:$(free_port)" >"$work/imgcdn-$r.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  wait_healthy "http://$api/healthz" "$pid" || { cat "$work/imgcdn-$r.log" >&2; exit 1; }
  echo "round $r: imgcdn pid $pid serving http://$api"
  "${bench[@]}" --endpoint "http://$api" --label imgcdn --pid "$pid" "${extra[@]}" \
    --out "$work/r$r-imgcdn.md" --json "$work/r$r-imgcdn.json" >/dev/null
  "${bench[@]}" --endpoint "http://$api" --label imgcdn-unsigned --pid "$pid" \
    --payload unsigned --checksum when_required --sizes 32KiB --list-keys 0 --big 0 --sse-sizes "" \
    --out "$work/r$r-imgcdn-unsigned.md" --json "$work/r$r-imgcdn-unsigned.json" >/dev/null
  stop "$pid"
  rm -rf "$work/imgcdn-data-$r"
}

# run_gofsync ROUND: the bare fsync file server, same PUT/GET cells (no listing or multipart).
run_gofsync() {
  local r=$1
  local addr=127.0.0.1:$(free_port)
  "$work/bin/gofsync" --data "$work/gofsync-data-$r" --addr "$addr" >"$work/gofsync-$r.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  wait_healthy "http://$addr/healthz" "$pid" || { cat "$work/gofsync-$r.log" >&2; exit 1; }
  echo "round $r: gofsync pid $pid serving http://$addr"
  "${bench[@]}" --endpoint "http://$addr" --label gofsync --pid "$pid" --list-keys 0 --big 0 \
    --out "$work/r$r-gofsync.md" --json "$work/r$r-gofsync.json" >/dev/null
  stop "$pid"
  rm -rf "$work/gofsync-data-$r"
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
jsons=()
for r in $(seq "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then
    run_imgcdn "$r"
    run_gofsync "$r"
  else
    run_gofsync "$r"
    run_imgcdn "$r"
  fi
  jsons+=("$work/r$r-gofsync.json" "$work/r$r-imgcdn.json" "$work/r$r-imgcdn-unsigned.json")
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

mkdir -p "$(dirname "$out")"
{
  echo "# S3 benchmark, $date"
  echo
  echo "Produced by \`$cmdline\` on $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, Linux $(uname -r)."
  echo "Client and server share the machine; the generator's own CPU use is part of every figure."
  echo "Load average (1, 5, 15 min) $load_start at the start and $load_end at the end; each run lists its own."
  echo "With a load above the CPU count, other processes took CPU time from both client and server and"
  echo "every rate is a lower bound; the server CPU per request hardly depends on it."
  echo
  echo "## Policy evaluation (go test -bench, before any server started)"
  echo
  echo '```'
  cat "$work/policy.txt"
  echo '```'
  echo
  echo "## Summary of $rounds round(s)"
  "$work/bin/imgcdn-bench" summary --baseline gofsync "${jsons[@]}"
  for r in $(seq "$rounds"); do
    echo
    echo "## Round $r"
    echo
    for l in imgcdn imgcdn-unsigned gofsync; do
      sed 's/^##/###/' "$work/r$r-$l.md"
      echo
    done
  done
} >"$out"
cat "$out"
echo
echo "written to $out"
