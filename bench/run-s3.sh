#!/usr/bin/env bash
# S3 benchmark of issue 2 (`make bench`). Builds imgcdn and the bench tools, then on this machine:
#
#   1. starts `imgcdn serve` on a fresh data dir and free loopback ports, waits for /healthz, and
#      runs imgcdn-bench against it with --pid (PUT/GET per size x concurrency, listing, RSS
#      during a big multipart upload), client in aws-sdk-go-v2's default mode over http
#      (signed SHA-256 payload + CRC32 checksum);
#   2. runs the 32KiB cells again against imgcdn with UNSIGNED-PAYLOAD and no checksums, the
#      client mode the baseline gets, so the imgcdn/gofsync ratio compares like with like;
#   3. starts bench/gofsync (a bare Go file server that fsyncs each PUT: the ceiling of this disk
#      and CPU) and runs the same PUT/GET cells against it;
#   4. prints and writes bench/results/s3-<date>.md: the three reports, the measured ratios, and
#      the issue's MinIO figures as reference numbers (MinIO is not installed or run here).
#
# Usage: bench/run-s3.sh [--quick] [--duration 8s] [--out FILE]
#   --quick      smoke test (about 30 s): 1 s phases, concurrency 16, 5,000 list keys, 64MiB upload
#   --duration   duration of each PUT and GET phase (default 8s; about 5-6 minutes in all on 2 cores)
set -euo pipefail

cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

quick=()
duration=8s
date=$(date -u +%Y-%m-%d)
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=(--quick); duration=1s ;;
    --duration) duration=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "usage: $0 [--quick] [--duration 8s] [--out FILE]" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$out" ]; then
  out=bench/results/s3-$date.md
  [ ${#quick[@]} -eq 0 ] || out=bench/results/s3-$date-quick.md
fi

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

# free_port prints a loopback TCP port nobody listens on now.
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  echo "no free port found" >&2
  return 1
}

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

export AWS_ACCESS_KEY_ID=benchaccesskey
export AWS_SECRET_ACCESS_KEY=bench-secret-key-not-for-production
bench=("$work/bin/imgcdn-bench" --duration "$duration" "${quick[@]}")

# 1 and 2: imgcdn.
api=127.0.0.1:$(free_port)
IMGCDN_ROOT_ACCESS_KEY=$AWS_ACCESS_KEY_ID IMGCDN_ROOT_SECRET_KEY=$AWS_SECRET_ACCESS_KEY \
  "$work/bin/imgcdn" serve --data "$work/imgcdn-data" --api "$api" \
  --http "127.0.0.1:$(free_port)" --https "127.0.0.1:$(free_port)" >"$work/imgcdn.log" 2>&1 &
imgcdn_pid=$!
pids+=("$imgcdn_pid")
wait_healthy "http://$api/healthz" "$imgcdn_pid" || { cat "$work/imgcdn.log" >&2; exit 1; }
echo "imgcdn pid $imgcdn_pid serving http://$api"
"${bench[@]}" --endpoint "http://$api" --label imgcdn --pid "$imgcdn_pid" \
  --out "$work/imgcdn.md" --json "$work/imgcdn.json" >/dev/null
"${bench[@]}" --endpoint "http://$api" --label imgcdn-unsigned --pid "$imgcdn_pid" \
  --payload unsigned --checksum when_required --sizes 32KiB --list-keys 0 --big 0 \
  --out "$work/imgcdn-unsigned.md" --json "$work/imgcdn-unsigned.json" >/dev/null
kill "$imgcdn_pid"
wait "$imgcdn_pid" || true

# 3: the bare fsync file server, same PUT/GET cells (it has no listing or multipart).
gaddr=127.0.0.1:$(free_port)
"$work/bin/gofsync" --data "$work/gofsync-data" --addr "$gaddr" >"$work/gofsync.log" 2>&1 &
gofsync_pid=$!
pids+=("$gofsync_pid")
wait_healthy "http://$gaddr/healthz" "$gofsync_pid" || { cat "$work/gofsync.log" >&2; exit 1; }
"${bench[@]}" --endpoint "http://$gaddr" --label gofsync --pid "$gofsync_pid" --list-keys 0 --big 0 \
  --out "$work/gofsync.md" --json "$work/gofsync.json" >/dev/null
kill "$gofsync_pid"
wait "$gofsync_pid" || true

# 4: one report.
mkdir -p "$(dirname "$out")"
{
  echo "# S3 benchmark, $date"
  echo
  echo "Produced by \`bench/run-s3.sh${quick[*]:+ ${quick[*]}} --duration $duration\` on $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, Linux $(uname -r)."
  echo "Client and server share the machine; the generator's own CPU use is part of every figure."
  echo "Each run lists the load average at its start and end: with a load above the CPU count, other"
  echo "processes took CPU time from both client and server and every figure is a lower bound."
  echo
  cat "$work/imgcdn.md"
  echo
  cat "$work/imgcdn-unsigned.md"
  echo
  cat "$work/gofsync.md"
  echo
  echo "## Comparison"
  "$work/bin/imgcdn-bench" compare --baseline "$work/gofsync.json" "$work/imgcdn.json" "$work/imgcdn-unsigned.json"
} >"$out"
cat "$out"
echo
echo "written to $out"
