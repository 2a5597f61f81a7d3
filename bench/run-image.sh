#!/usr/bin/env bash
# Image benchmark of issue 7 (`make bench-image`): imgcdn's on-the-fly transforms against
# imgproxy and the libvips floor, on this machine, in one invocation:
#
#   1. installs nginx, libvips-tools (`vips thumbnail`, vipsthumbnail), curl and the aws CLI from
#      Debian when missing; builds imgcdn, bench/image/imagetool and bench/image/vipsserve;
#      writes the two sources (photo.jpg 4000x3000, graphic.png 2000x1500; the same bytes every
#      run);
#   2. tries to build imgproxy with `go install github.com/imgproxy/imgproxy/v3@<version>` into
#      the temporary directory (outside the repository; it needs libvips-dev, which scripts/deps.sh
#      installs), or takes --imgproxy BIN; when neither works the report says why and the run goes
#      on without it;
#   3. starts the origin (nginx, one worker: /k/<anything>/<name> serves <name>), vipsserve (the
#      engine, internal/imaging/vips, behind a bare handler), imgproxy, and `imgcdn serve` with a
#      distribution over that origin whose default behaviour has CachingDisabled (managed policy
#      4135ea2d-...) and the imgcdn-image-optimizer function (turned on with
#      `aws cloudfront update-distribution`, as a user would); the edge is measured only when its
#      /cdn-cgi/image/ path answers a real transform (else the report says so);
#   4. --rounds rounds; in each, for every source, width (300, 1200), format (jpeg, webp, avif)
#      and client count (1, 2): imagetool load against each server in turn (the order rotating
#      every round), then the floor twice (batched vipsthumbnail, and one `vips thumbnail`
#      process per transform). Every request has a path no cache has seen and every answer is
#      checked (200, no x-cache Hit, the asked format at the asked width): each one is a transform
#      from a freshly fetched source, as with imgproxy, which has no result cache;
#   5. writes bench/results/image-<date>-<HHMM>[-quick].md: command line, machine and load, the
#      tables (medians over rounds), ratios against imgproxy and the floor, every server's peak RSS.
#
# Every server encodes at quality 80 (asked in the URL); the floor uses the engine's encoder
# settings (imagetool floor.go). Client and servers share the cores; nothing is pinned and the
# load average is reported, so with other work on the machine every rate is a lower bound.
#
# Usage: bench/run-image.sh [--quick] [--rounds 2] [--duration 8s] [--min 4] [--clients "1 2"]
#                           [--imgproxy BIN | --imgproxy-version v3.x.y] [--out FILE]
#   --quick   a short run (about 5 minutes on 2 idle cores): 1 round, 2 s per cell, 2 transforms at least
set -euo pipefail

cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

quick=""
rounds=2
duration=8s
min=4
clients_list="1 2"
imgproxy_bin=""
imgproxy_version=latest
out=""
quality=80
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; rounds=1; duration=2s; min=2 ;;
    --rounds) rounds=$2; shift ;;
    --duration) duration=$2; shift ;;
    --min) min=$2; shift ;;
    --clients) clients_list=$2; shift ;;
    --imgproxy) imgproxy_bin=$2; shift ;;
    --imgproxy-version) imgproxy_version=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "usage: $0 [--quick] [--rounds 2] [--duration 8s] [--min 4] [--clients \"1 2\"] [--imgproxy BIN | --imgproxy-version v3.x.y] [--out FILE]" >&2; exit 2 ;;
  esac
  shift
done
stamp=$(date -u +%Y-%m-%d-%H%M)
if [ -z "$out" ]; then
  out=bench/results/image-$stamp${quick:+-quick}.md
fi
cmdline="bench/run-image.sh${args[*]:+ ${args[*]}}"

# 1. Tools.
need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v vips >/dev/null 2>&1 && command -v vipsthumbnail >/dev/null 2>&1 || need+=(libvips-tools)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v aws >/dev/null 2>&1 || need+=(awscli)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} with apt-get"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
export PATH="$PATH:/usr/sbin"
vips_dir=$(dirname "$(command -v vips)")

work=$(mktemp -d /tmp/imgcdn-bench-image.XXXXXX)
chmod 755 "$work" # nginx's worker (nobody) reads below $work
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
go build -o "$work/bin/imagetool" ./bench/image/imagetool
go build -o "$work/bin/vipsserve" ./bench/image/vipsserve
tool=$work/bin/imagetool
"$tool" gen "$work/www"
notes=()

# 2. imgproxy, built outside the repository (go install ignores the current module).
if [ -z "$imgproxy_bin" ]; then
  echo "building imgproxy $imgproxy_version with go install"
  if (cd "$work" && GOBIN=$work/imgproxy-bin GOFLAGS=-mod=mod \
      go install "github.com/imgproxy/imgproxy/v3@$imgproxy_version") >"$work/imgproxy-build.log" 2>&1; then
    imgproxy_bin=$work/imgproxy-bin/imgproxy
  else
    # The first error line, without the registry's address.
    why=$(grep -m1 -E 'go: |error' "$work/imgproxy-build.log" | sed -E 's#reading https?://[^ ]+: ##' | cut -c1-300)
    notes+=("imgproxy was not measured: \`go install github.com/imgproxy/imgproxy/v3@$imgproxy_version\` failed on this machine: \`${why:-see the build log}\`. Run with \`--imgproxy BIN\` where a binary can be had.")
    echo "imgproxy not built: $why" >&2
  fi
fi

# free_port and wait_http.
. bench/lib.sh # the script runs from the repository root

# 3. The origin and the servers. url[S] is each server's URL template (imagetool expandURL).
declare -A port pid url
port[origin]=$(free_port)
mkdir -p "$work/origin/tmp"
sed -e "s|@WORK@|$work|g" -e "s|@PORT@|${port[origin]}|g" bench/image/origin.conf >"$work/origin/nginx.conf"
nginx -p "$work/origin" -c "$work/origin/nginx.conf" -e "$work/origin/error.log" &
pid[origin]=$!; pids+=("${pid[origin]}")
wait_http "http://127.0.0.1:${port[origin]}/k/x/photo.jpg" "${pid[origin]}"
origin=127.0.0.1:${port[origin]}
image_path="cdn-cgi/image/width={w},format={f},quality=$quality/k/{seq}/{src}"

port[engine]=$(free_port)
"$work/bin/vipsserve" --listen "127.0.0.1:${port[engine]}" --origin "$origin" >"$work/engine.log" 2>&1 &
pid[engine]=$!; pids+=("${pid[engine]}")
url[engine]="http://127.0.0.1:${port[engine]}/$image_path"
wait_http "http://127.0.0.1:${port[engine]}/cdn-cgi/image/width=10/k/warm/photo.jpg" "${pid[engine]}" || { cat "$work/engine.log" >&2; exit 1; }
servers=(engine)

if [ -n "$imgproxy_bin" ]; then
  port[imgproxy]=$(free_port)
  IMGPROXY_BIND=127.0.0.1:${port[imgproxy]} IMGPROXY_ALLOW_LOOPBACK_SOURCE_ADDRESSES=true \
    IMGPROXY_LOG_LEVEL=warn "$imgproxy_bin" >"$work/imgproxy.log" 2>&1 &
  pid[imgproxy]=$!; pids+=("${pid[imgproxy]}")
  url[imgproxy]="http://127.0.0.1:${port[imgproxy]}/insecure/rs:fit:{w}:0/q:$quality/plain/http://$origin/k/{seq}/{src}@{ext}"
  wait_http "http://127.0.0.1:${port[imgproxy]}/health" "${pid[imgproxy]}" || { cat "$work/imgproxy.log" >&2; exit 1; }
  imgproxy_version=$("$imgproxy_bin" version 2>/dev/null | head -1 || echo "$imgproxy_version")
  servers+=(imgproxy)
fi

export AWS_ACCESS_KEY_ID=benchaccesskey
export AWS_SECRET_ACCESS_KEY=bench-secret-key-not-for-production
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=$work/aws-config AWS_SHARED_CREDENTIALS_FILE=$work/aws-credentials
: >"$AWS_CONFIG_FILE"; : >"$AWS_SHARED_CREDENTIALS_FILE"
api=127.0.0.1:$(free_port)
port[imgcdn]=$(free_port)
IMGCDN_ROOT_ACCESS_KEY=$AWS_ACCESS_KEY_ID IMGCDN_ROOT_SECRET_KEY=$AWS_SECRET_ACCESS_KEY \
  "$work/bin/imgcdn" serve --data "$work/imgcdn-data" --api "$api" \
  --http "127.0.0.1:${port[imgcdn]}" --https "127.0.0.1:$(free_port)" >"$work/imgcdn.log" 2>&1 &
pid[imgcdn]=$!; pids+=("${pid[imgcdn]}")
wait_http "http://$api/healthz" "${pid[imgcdn]}" || { cat "$work/imgcdn.log" >&2; exit 1; }
cf() { aws --endpoint-url "http://$api" cloudfront "$@"; }
# The distribution is created as any other, then the optimizer is turned on by naming the
# function (its ARN carries the account of the created distribution) in an update.
sed -e "s|@PORT@|${port[origin]}|g" -e 's|@FUNCTIONS@|{ "Quantity": 0 }|' bench/image/distribution.json >"$work/dist-off.json"
read -r dist_id dist_arn domain < <(cf create-distribution --distribution-config "file://$work/dist-off.json" \
  --query '[Distribution.Id, Distribution.ARN, Distribution.DomainName]' --output text)
account=$(cut -d: -f5 <<<"$dist_arn")
fn_arn="arn:aws:cloudfront::$account:function/imgcdn-image-optimizer"
sed -e "s|@PORT@|${port[origin]}|g" \
  -e "s|@FUNCTIONS@|{ \"Quantity\": 1, \"Items\": [{ \"FunctionARN\": \"$fn_arn\", \"EventType\": \"viewer-request\" }] }|" \
  bench/image/distribution.json >"$work/dist-on.json"
etag=$(cf get-distribution-config --id "$dist_id" --query ETag --output text)
edge_on=""
if cf update-distribution --id "$dist_id" --if-match "$etag" \
    --distribution-config "file://$work/dist-on.json" >/dev/null 2>"$work/update.err"; then
  # The edge applies the update within seconds; it answers a transform from then on.
  probe_url="http://127.0.0.1:${port[imgcdn]}/cdn-cgi/image/width=300,format=jpeg,quality=$quality/k/probe/photo.jpg"
  for _ in $(seq 100); do
    answer=$(curl -sS -o "$work/probe.out" -w '%{http_code} %{content_type}' -H "Host: $domain" "$probe_url" 2>&1 || true)
    if [ "$("$tool" probe "$work/probe.out" 2>/dev/null | cut -d' ' -f1-2)" = "jpeg 300" ]; then
      edge_on=1
      break
    fi
    sleep 0.2
  done
  [ -n "$edge_on" ] || notes+=("imgcdn's edge was not measured: with the optimizer associated (update-distribution accepted) \`/cdn-cgi/image/width=300,format=jpeg/...\` did not answer a 300 px JPEG within 20 s at $(git rev-parse --short HEAD) (last answer: $answer): the edge's image path does not work in this build. The engine row is internal/imaging/vips behind a bare handler.")
else
  notes+=("imgcdn's edge was not measured: \`aws cloudfront update-distribution\` with the FunctionAssociation $fn_arn was refused at $(git rev-parse --short HEAD): \`$(tr '\n' ' ' <"$work/update.err" | cut -c1-300)\`. The engine row is internal/imaging/vips behind a bare handler.")
fi
if [ -n "$edge_on" ]; then
  url[imgcdn]="http://127.0.0.1:${port[imgcdn]}/$image_path"
  servers=(imgcdn "${servers[@]}")
  echo "imgcdn distribution $dist_id ($domain) transforms through the edge"
else
  echo "imgcdn's edge does not transform; measuring the engine, imgproxy and the floor" >&2
fi

# 4. Rounds.
raw=$work/raw.txt
: >"$raw"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$rounds"); do
  n=${#servers[@]}
  order=("${servers[@]:$(((r - 1) % n))}" "${servers[@]:0:$(((r - 1) % n))}")
  for src in photo.jpg graphic.png; do
    for w in 300 1200; do
      for f in jpeg webp avif; do
        for c in $clients_list; do
          cell=(--source "$src" --width "$w" --format "$f" --clients "$c" --duration "$duration" --min "$min")
          for s in "${order[@]}"; do
            "$tool" load --server "$s" --url "${url[$s]}" --host "$domain" --pid "${pid[$s]}" \
              --tag "r$r-$s" "${cell[@]}" | tee -a "$raw"
          done
          # libvips' start costs about 0.15 s of CPU here: 16 transforms share it at 300 px, 6 at
          # 1200 px (a few percent of their cost; a batch takes a few seconds either way).
          batch=$(( w <= 300 ? 16 : 6 ))
          "$tool" floor --server floor --batch "$batch" --dir "$work/www" --work "$work" \
            --vips-dir "$vips_dir" --quality "$quality" "${cell[@]}" | tee -a "$raw"
          "$tool" floor --server vips-thumbnail --dir "$work/www" --work "$work" \
            --vips-dir "$vips_dir" --quality "$quality" "${cell[@]}" | tee -a "$raw"
          echo "  load $(cut -d' ' -f1 /proc/loadavg)"
        done
      done
    done
  done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# 5. The report.
header=$work/header.md
size() { stat -c %s "$work/www/$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
{
  echo "# Image benchmark: imgcdn vs imgproxy vs the libvips floor, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "Produced by \`$cmdline\` (rounds $rounds, $duration per cell and at least $min transforms,"
  echo "clients $clients_list) on $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, Linux $(uname -r)."
  echo "Load average (1, 5, 15 min): $load_start before the rounds, $load_end after. Client and servers"
  echo "share the cores (nothing pinned); with a load above the CPU count other processes took CPU"
  echo "from all of them alike and every rate is a lower bound: CPU per transform moves less."
  echo
  echo "## Setup"
  echo
  echo "- Sources (bench/image/imagetool gen, the same bytes every run): photo.jpg, 4000x3000 JPEG q90,"
  echo "  $(size photo.jpg) B; graphic.png, 2000x1500 RGB PNG, $(size graphic.png) B. Outputs 300 and 1200 px wide"
  echo "  (height by aspect), JPEG, WebP and AVIF at quality $quality."
  echo "- Every request asks a path no cache has seen (/k/<unique>/<source>), so each answer is a"
  echo "  transform of a source fetched from the origin (nginx, loopback, bench/image/origin.conf), and"
  echo "  each answer was checked: 200, no \`x-cache: Hit\`, the asked format (magic bytes) and width."
  if [ -n "$edge_on" ]; then
    echo "- imgcdn $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- internal cmd || echo ' (with uncommitted changes)'): \`imgcdn serve\` defaults, a distribution whose default behaviour has"
    echo "  CachingDisabled and the imgcdn-image-optimizer function (bench/image/distribution.json),"
    echo "  URL /cdn-cgi/image/width=W,format=F,quality=$quality/<path>."
  fi
  echo "- engine: internal/imaging/vips behind a bare HTTP handler (bench/image/vipsserve), the edge's"
  echo "  imaging.NewDefaultConfig ($(nproc) workers) and libvips settings (1 thread per pipeline), no cache."
  if [ -n "$imgproxy_bin" ]; then
    echo "- imgproxy $imgproxy_version: defaults (no result cache), URL /insecure/rs:fit:W:0/q:$quality/plain/<origin URL>@F."
  fi
  echo "- floor: libvips $(vips --version | cut -d- -f2) \`vipsthumbnail -s Wx\` with the source 16 (300 px) or 6 (1200 px) times per process"
  echo "  (libvips' start shared); vips-thumbnail: one \`vips thumbnail SRC OUT W\` process per transform."
  echo "  Both encode like the engine (JPEG progressive + optimize_coding, WebP effort 4, AVIF effort 1,"
  echo "  metadata stripped) and use libvips' default threads ($(nproc)). Sources are read from the page cache."
  for n in "${notes[@]}"; do
    echo "- **$n**"
  done
} >"$header"
mkdir -p "$(dirname "$out")"
"$tool" report "$raw" "$header" >"$out"
cat "$out"
echo
echo "written to $out"
