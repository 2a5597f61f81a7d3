#!/usr/bin/env bash
# Edge benchmark of issue 6 (`make bench-edge`): imgcdn's edge against nginx (proxy_cache) and
# Varnish in front of the same origin, on this machine, in one invocation:
#
#   1. installs nginx, Varnish and wrk from Debian when missing; builds imgcdn and
#      bench/edge/edgetool; writes the two objects (a 32,369-byte PNG and a 1 MiB JPEG, seeded
#      noise, the same bytes every run);
#   2. starts the origin (nginx, one worker, serving those files with max-age=86400 at
#      /small.png, /large.jpg and any /k/<name>.png|jpg) and, each on its own loopback port,
#      nginx with proxy_cache (bench/edge/nginx.conf), Varnish (bench/edge/default.vcl,
#      -s malloc) and `imgcdn serve` with a distribution created by the aws CLI whose custom
#      origin is that origin (bench/edge/distribution.json); every request, to all three,
#      carries Host: <distribution domain>;
#   3. warms each cache and checks that the next answer is a hit;
#   4. time to first byte on a miss: --ttfb-samples fresh keys per server, interleaved, plus
#      the origin asked directly (curl's time_starttransfer, a new connection each time);
#   5. --rounds rounds; in each, for both objects at 64 and 256 connections, wrk (keep-alive
#      HTTP/1.1, --threads threads, --duration, --latency) against each server in turn, the
#      order rotating every round; around each run the server's CPU time and RSS (all its
#      processes, from /proc) and the origin's request count (must not move: hits only);
#      then, unless --no-https, the same over HTTPS (TLS 1.3, keep-alive) against imgcdn's
#      --https listener and an nginx `listen ... ssl` (bench/edge/nginx-tls.conf) in the same
#      nginx server block, so behind the same proxy_cache. Varnish terminates no TLS (open
#      source Varnish Cache needs a separate TLS proxy such as hitch) and is left out of it.
#      wrk sends the URL's host as SNI: the URL carries the distribution domain, which a
#      temporary /etc/hosts line (removed on exit) maps to 127.0.0.1 when the resolver does
#      not already; without a writable /etc/hosts the URL is https://127.0.0.1 (SNI 127.0.0.1,
#      for which imgcdn's local CA issues too). The negotiated version and cipher suite of
#      each server are checked with openssl s_client (TLS 1.3 required) and reported;
#   5a. the small object's HTTP runs against nginx and a second imgcdn: an edge node of the same
#      control plane (`imgcdn edge`, key from `imgcdn keys create --edge`) with no memory tier
#      (--cache-mem 0), whose hits all come from its disk tier, i.e. the page cache, where
#      every nginx proxy_cache hit comes from;
#   5b. the small object's HTTP runs again with equal response sizes: each server's response
#      head is measured (imgcdn's carries CloudFront's Via, X-Amz-Cf-Id, ...: 486 bytes
#      against nginx's 332), then nginx (reloaded) and Varnish (a padded VCL) add an X-Pad
#      header that makes theirs as long, so that wrk, reading 8 KiB at a time, does the same
#      reads for every server (32,369 + 486 crosses 32,768: one read more per response);
#   5c. the large object's HTTP runs again against imgcdn and nginx reloaded with sendfile off
#      (one 1 MiB output buffer): nginx then copies the body in its own write() as imgcdn and
#      Varnish do, rather than leaving the copy to wrk's read() (sendfile), which changes both
#      the rate and the latency spread at 256 connections;
#   6. memory per cached object: RSS growth after caching --objects distinct small objects;
#   7. with --profile, imgcdn runs as bench/edge/pprofserve (the same app plus /debug/pprof),
#      and a last wrk run on the small object at 256 connections is CPU- and allocation-profiled;
#   8. writes bench/results/edge-<date>-<HHMM>[-quick].md: command line, machine and load, the
#      tables (medians over rounds), ratios imgcdn/nginx and imgcdn/varnish, every run.
#
# Client and servers share the machine's cores: wrk's own CPU is taken from the servers, the
# same way for all three. Nothing is pinned; the load average is reported with every run.
#
# Usage: bench/run-edge.sh [--quick] [--rounds 3] [--duration 8s] [--threads 2]
#                          [--ttfb-samples 21] [--objects 2000] [--profile] [--no-https] [--out FILE]
#   --quick     a short run (about two minutes): 1 round, 2 s runs, 7 TTFB samples, 300 objects
#   --no-https  skip the HTTPS runs (step 5's second half)
set -euo pipefail

cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

quick=""
rounds=3
duration=8s
threads=2
ttfb_samples=21
objects=2000
profile=""
https=1
out=""
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; rounds=1; duration=2s; ttfb_samples=7; objects=300 ;;
    --rounds) rounds=$2; shift ;;
    --duration) duration=$2; shift ;;
    --threads) threads=$2; shift ;;
    --ttfb-samples) ttfb_samples=$2; shift ;;
    --objects) objects=$2; shift ;;
    --profile) profile=1 ;;
    --no-https) https="" ;;
    --out) out=$2; shift ;;
    *) echo "usage: $0 [--quick] [--rounds 3] [--duration 8s] [--threads 2] [--ttfb-samples 21] [--objects 2000] [--profile] [--no-https] [--out FILE]" >&2; exit 2 ;;
  esac
  shift
done
stamp=$(date -u +%Y-%m-%d-%H%M)
if [ -z "$out" ]; then
  out=bench/results/edge-$stamp${quick:+-quick}.md
fi
cmdline="bench/run-edge.sh${args[*]:+ ${args[*]}}"

# 1. Tools.
need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v varnishd >/dev/null 2>&1 || [ -x /usr/sbin/varnishd ] || need+=(varnish)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v aws >/dev/null 2>&1 || need+=(awscli)
[ -z "$https" ] || command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} with apt-get"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
export PATH="$PATH:/usr/sbin"

work=$(mktemp -d /tmp/imgcdn-bench-edge.XXXXXX)
# nginx workers (nobody) and the Varnish child (vcache) read below $work.
chmod 755 "$work"
pids=()
hosts_line=""
cleanup() {
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  # The /etc/hosts line of the HTTPS part, if added: rewritten in place (not renamed), as
  # /etc/hosts is often a bind mount.
  if [ -n "$hosts_line" ]; then
    grep -vxF "$hosts_line" /etc/hosts >"$work/hosts" || true
    cat "$work/hosts" >/etc/hosts
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building into $work/bin"
go build -o "$work/bin/imgcdn" ./cmd/imgcdn
go build -o "$work/bin/edgetool" ./bench/edge/edgetool
[ -z "$profile" ] || go build -o "$work/bin/pprofserve" ./bench/edge/pprofserve
tool=$work/bin/edgetool
"$tool" gen "$work/www"

# free_port and wait_http.
. bench/lib.sh # the script runs from the repository root

# render TEMPLATE OUT ORIGIN_PORT PORT: the config with its placeholders filled in.
render() {
  sed -e "s|@WORK@|$work|g" -e "s|@ORIGIN_PORT@|$3|g" -e "s|@PORT@|$4|g" "$1" >"$2"
}

# 2. The origin and the three caches (nginx last: its HTTPS certificate is for the
# distribution domain, issued by imgcdn's local CA).
declare -A port pid
port[origin]=$(free_port)
mkdir -p "$work/origin/tmp"
render bench/edge/origin.conf "$work/origin/nginx.conf" "" "${port[origin]}"
nginx -p "$work/origin" -c "$work/origin/nginx.conf" -e "$work/origin/error.log" &
pid[origin]=$!; pids+=("${pid[origin]}")
wait_http "http://127.0.0.1:${port[origin]}/small.png" "${pid[origin]}"

port[varnish]=$(free_port)
render bench/edge/default.vcl "$work/default.vcl" "${port[origin]}" ""
varnishd -F -n "$work/varnish" -a "127.0.0.1:${port[varnish]}" -f "$work/default.vcl" \
  -s malloc,2G >"$work/varnish.log" 2>&1 &
pid[varnish]=$!; pids+=("${pid[varnish]}")

export AWS_ACCESS_KEY_ID=benchaccesskey
export AWS_SECRET_ACCESS_KEY=bench-secret-key-not-for-production
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=$work/aws-config AWS_SHARED_CREDENTIALS_FILE=$work/aws-credentials
: >"$AWS_CONFIG_FILE"; : >"$AWS_SHARED_CREDENTIALS_FILE"
api=127.0.0.1:$(free_port)
port[imgcdn]=$(free_port)
port[imgcdn-https]=$(free_port)
imgcdn_bin=$work/bin/imgcdn
imgcdn_args=(serve --data "$work/imgcdn-data" --api "$api" --http "127.0.0.1:${port[imgcdn]}" --https "127.0.0.1:${port[imgcdn-https]}")
if [ -n "$profile" ]; then
  pprof_addr=127.0.0.1:$(free_port)
  imgcdn_bin=$work/bin/pprofserve
  imgcdn_args=("${imgcdn_args[@]:1}" --pprof "$pprof_addr")
fi
IMGCDN_ROOT_ACCESS_KEY=$AWS_ACCESS_KEY_ID IMGCDN_ROOT_SECRET_KEY=$AWS_SECRET_ACCESS_KEY \
  "$imgcdn_bin" "${imgcdn_args[@]}" >"$work/imgcdn.log" 2>&1 &
pid[imgcdn]=$!; pids+=("${pid[imgcdn]}")
wait_http "http://$api/healthz" "${pid[imgcdn]}" || { cat "$work/imgcdn.log" >&2; exit 1; }
render bench/edge/distribution.json "$work/distribution.json" "" "${port[origin]}"
domain=$(aws --endpoint-url "http://$api" cloudfront create-distribution \
  --distribution-config "file://$work/distribution.json" --query Distribution.DomainName --output text)
echo "imgcdn distribution $domain (origin 127.0.0.1:${port[origin]})"

port[nginx]=$(free_port)
mkdir -p "$work/nginx/tmp" "$work/nginx/tls"
: >"$work/nginx/tls.conf"
: >"$work/nginx/pad.conf"
ca_pem=$work/imgcdn-data/ca/ca.pem
if [ -n "$https" ]; then
  # An ECDSA P-256 leaf like the ones imgcdn's local CA issues (internal/localca), signed by
  # that CA, for the distribution domain and 127.0.0.1; nginx sends it with the CA certificate.
  port[nginx-https]=$(free_port)
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$domain" \
    -keyout "$work/nginx/tls/key.pem" -out "$work/nginx/tls/leaf.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s,IP:127.0.0.1\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' \
    "$domain" >"$work/nginx/tls/ext.cnf"
  openssl x509 -req -in "$work/nginx/tls/leaf.csr" -CA "$ca_pem" -CAkey "$work/imgcdn-data/ca/ca-key.pem" \
    -set_serial "0x$(openssl rand -hex 16)" -days 7 -extfile "$work/nginx/tls/ext.cnf" \
    -out "$work/nginx/tls/leaf.pem" 2>/dev/null
  cat "$work/nginx/tls/leaf.pem" "$ca_pem" >"$work/nginx/tls/chain.pem"
  render bench/edge/nginx-tls.conf "$work/nginx/tls.conf" "" ""
  sed -i "s|@TLS_PORT@|${port[nginx-https]}|g" "$work/nginx/tls.conf"
fi
render bench/edge/nginx.conf "$work/nginx/nginx.conf" "${port[origin]}" "${port[nginx]}"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
pid[nginx]=$!; pids+=("${pid[nginx]}")
wait_http "http://127.0.0.1:${port[nginx]}/small.png" "${pid[nginx]}" || { cat "$work/nginx/error.log" >&2; exit 1; }
wait_http "http://127.0.0.1:${port[varnish]}/small.png" "${pid[varnish]}" || { cat "$work/varnish.log" >&2; exit 1; }
wait_http "http://127.0.0.1:${port[imgcdn]}/small.png" "${pid[imgcdn]}" "$domain" || { cat "$work/imgcdn.log" >&2; exit 1; }

servers=(imgcdn nginx varnish)
files=(small.png large.jpg)
conns_list=(64 256)

# proc_of SERVER PROTO: the process (its key in port and pid) that answers SERVER's runs over
# PROTO: the server's own, except imgcdn's http-disk runs, which go to the disk-only edge node
# of step 5a.
proc_of() { if [ "$2/$1" = http-disk/imgcdn ]; then echo imgcdn-disk; else echo "$1"; fi; }

# base_url SERVER PROTO: where wrk and curl send the server's requests over PROTO (http,
# http-disk, http-eq, http-copy or https).
base_url() {
  local k
  k=$(proc_of "$1" "$2")
  if [ "$2" = https ]; then echo "https://$tls_host:${port[$k-https]}"; else echo "http://127.0.0.1:${port[$k]}"; fi
}
tls_host=127.0.0.1

# is_hit SERVER PATH [PROTO]: the server answers PATH 200 from its cache (x-cache /
# X-Cache-Status). Over https curl checks the certificate against imgcdn's CA when the URL
# carries the domain (curl sends no SNI for an address; s_client checked that case below).
is_hit() {
  local h tls=()
  if [ "${3:-http}" = https ]; then
    tls=(-k)
    [ "$tls_host" = 127.0.0.1 ] || tls=(--cacert "$ca_pem" --resolve "$domain:${port[$1-https]}:127.0.0.1")
  fi
  h=$(curl -fsS -D - -o /dev/null "${tls[@]}" -H "Host: $domain" "$(base_url "$1" "${3:-http}")$2" | tr -d '\r')
  grep -qiE '^(x-cache: Hit from cloudfront|x-cache-status: HIT)$' <<<"$h"
}

# 3. Warm every cache with both objects; the next answer must be a hit.
for s in "${servers[@]}"; do
  for f in "${files[@]}"; do
    curl -fsS -o /dev/null -H "Host: $domain" "http://127.0.0.1:${port[$s]}/$f"
    sleep 0.2
    is_hit "$s" "/$f" || { echo "$s does not answer /$f from its cache after warming" >&2; exit 1; }
  done
done
echo "caches warm"

# 3b. HTTPS: a URL host that wrk resolves and sends as SNI, TLS 1.3 negotiated by both
# servers (openssl s_client with its defaults, as wrk's OpenSSL offers TLS 1.2 and 1.3),
# certificates that verify against imgcdn's CA, and hits on the TLS ports.
https_servers=()
declare -A tls_info
sni_how=""
if [ -n "$https" ]; then
  https_servers=(imgcdn nginx)
  if getent hosts "$domain" | grep -q '^127\.0\.0\.1[[:space:]]'; then
    tls_host=$domain
    sni_how="the resolver maps the distribution domain to 127.0.0.1"
  elif [ -w /etc/hosts ]; then
    hosts_line="127.0.0.1 $domain # bench/run-edge.sh $$"
    echo "$hosts_line" >>/etc/hosts
    getent hosts "$domain" | grep -q '^127\.0\.0\.1[[:space:]]' || { echo "/etc/hosts line for $domain not effective" >&2; exit 1; }
    tls_host=$domain
    sni_how="a temporary /etc/hosts line mapped the distribution domain to 127.0.0.1 (removed on exit)"
  else
    sni_how="no resolver entry for the domain and /etc/hosts not writable: URLs https://127.0.0.1:<port>, SNI 127.0.0.1 (imgcdn's CA issues for addresses), Host: the domain"
  fi
  verify=(-verify_hostname "$domain")
  [ "$tls_host" != 127.0.0.1 ] || verify=(-verify_ip 127.0.0.1)
  for s in "${https_servers[@]}"; do
    sc=$(openssl s_client -brief -connect "127.0.0.1:${port[$s-https]}" -servername "$tls_host" \
      -CAfile "$ca_pem" "${verify[@]}" -verify_return_error </dev/null 2>&1 || true)
    ver=$(sed -n 's/^Protocol version: //p' <<<"$sc")
    suite=$(sed -n 's/^Ciphersuite: //p' <<<"$sc")
    if [ "$ver" != TLSv1.3 ] || ! grep -q '^Verification: OK' <<<"$sc"; then
      echo "$s over TLS: want TLSv1.3 and a certificate that verifies; openssl s_client says:" >&2
      echo "$sc" >&2
      exit 1
    fi
    tls_info[$s]="$ver $suite"
    for f in "${files[@]}"; do
      is_hit "$s" "/$f" https || { echo "$s does not answer /$f from its cache over HTTPS" >&2; exit 1; }
    done
    echo "$s over HTTPS: $ver, $suite, hits"
  done
  [ "${tls_info[imgcdn]}" = "${tls_info[nginx]}" ] ||
    echo "warning: imgcdn and nginx negotiate different suites (${tls_info[imgcdn]} vs ${tls_info[nginx]})" >&2
fi

raw=$work/raw.txt
: >"$raw"
origin_requests() { wc -l <"$work/origin/access.log"; }

# 4. Time to first byte on a miss, interleaved, with the origin asked directly as reference.
for i in $(seq "$ttfb_samples"); do
  for s in origin "${servers[@]}"; do
    t=$(curl -fsS -o /dev/null -H "Host: $domain" -w '%{time_starttransfer}' \
      "http://127.0.0.1:${port[$s]}/k/ttfb-$i-$s.png")
    echo "ttfb $s $t" >>"$raw"
  done
done
echo "ttfb: $ttfb_samples samples per server"

# run_wrk ROUND SERVER FILE CONNS PROTO: one wrk run (over http or https) with the server's
# CPU and RSS around it.
run_wrk() {
  local r=$1 s=$2 f=$3 c=$4 proto=$5 before after o0 o1 res label=$2 p
  [ "$proto" = http ] || label=$s/$proto
  p=${pid[$(proc_of "$s" "$proto")]}
  o0=$(origin_requests)
  before=$("$tool" proc "$p")
  res=$(wrk -t "$threads" -c "$c" -d "$duration" --latency -s bench/edge/result.lua \
    -H "Host: $domain" "$(base_url "$s" "$proto")/$f" | tee -a "$work/wrk.log" | grep '^WRKRESULT')
  after=$("$tool" proc "$p")
  o1=$(origin_requests)
  if [ "$o0" != "$o1" ]; then
    echo "warning: $label went to the origin $((o1 - o0)) times during a hit run" >&2
    origin_during_hits=$((origin_during_hits + o1 - o0))
  fi
  read -r _ n dur p50 p99 errs bytes <<<"$res"
  read -r cpu0 _ _ <<<"$before"
  read -r cpu1 rss _ <<<"$after"
  echo "wrk $r $s $f $c $n $dur $p50 $p99 $errs $bytes $cpu0 $cpu1 $rss $proto" >>"$raw"
  awk -v r="$r" -v s="$label" -v f="$f" -v c="$c" -v n="$n" -v d="$dur" -v p50="$p50" -v p99="$p99" \
    -v e="$errs" -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
      printf "round %d %-12s %-9s c=%-3d %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d  load %s\n",
        r, s, f, c, n / (d / 1e6), p50 / 1e3, p99 / 1e3, e, l }'
}

# rounds_on FILE PROTO SERVER...: --rounds rounds of wrk runs on FILE over PROTO at each
# connection count against the servers, their order rotating every round (steps 5a-5c).
rounds_on() {
  local f=$1 proto=$2 r c s k
  shift 2
  local list=("$@") order
  for r in $(seq "$rounds"); do
    k=$(((r - 1) % ${#list[@]}))
    order=("${list[@]:$k}" "${list[@]:0:$k}")
    for c in "${conns_list[@]}"; do
      for s in "${order[@]}"; do
        run_wrk "$r" "$s" "$f" "$c" "$proto"
      done
    done
  done
}

# 5. Rounds; the server order rotates so that none always runs first or last. Within a
# round, each object and connection count runs over HTTP against the three, then over HTTPS
# against imgcdn and nginx (their order rotating too).
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
origin_during_hits=0
for r in $(seq "$rounds"); do
  order=("${servers[@]:$(((r - 1) % 3))}" "${servers[@]:0:$(((r - 1) % 3))}")
  tls_order=()
  if [ ${#https_servers[@]} -gt 0 ]; then
    k=$(((r - 1) % ${#https_servers[@]}))
    tls_order=("${https_servers[@]:$k}" "${https_servers[@]:0:$k}")
  fi
  for f in "${files[@]}"; do
    for c in "${conns_list[@]}"; do
      for s in "${order[@]}"; do
        run_wrk "$r" "$s" "$f" "$c" http
      done
      for s in "${tls_order[@]}"; do
        run_wrk "$r" "$s" "$f" "$c" https
      done
    done
  done
done

# 5a. Disk-tier hits: a second imgcdn, an edge node following the same control plane (as
# README's "More edge nodes") with no memory tier (--cache-mem 0), so that every hit of the
# small object comes from its disk tier, answered from the page cache on a warm machine, as
# every nginx proxy_cache hit is. A memory tier holds the hottest objects only; the others are
# these hits.
keyout=$("$work/bin/imgcdn" keys create --edge --data "$work/imgcdn-data")
edge_key=$(grep -o 'AWS_ACCESS_KEY_ID=[^ ]*' <<<"$keyout" | head -1 | cut -d= -f2)
edge_secret=$(grep -o 'AWS_SECRET_ACCESS_KEY=[^ ]*' <<<"$keyout" | head -1 | cut -d= -f2)
[ -n "$edge_key" ] && [ -n "$edge_secret" ] || { echo "imgcdn keys create --edge printed: $keyout" >&2; exit 1; }
port[imgcdn-disk]=$(free_port)
IMGCDN_SECRET=$edge_secret "$work/bin/imgcdn" edge --control "http://$api" --key "$edge_key" \
  --node bench-disk --data "$work/imgcdn-disk" --ca-dir "$work/imgcdn-data/ca" --cache-mem 0 \
  --http "127.0.0.1:${port[imgcdn-disk]}" --https "127.0.0.1:$(free_port)" >"$work/imgcdn-disk.log" 2>&1 &
pid[imgcdn-disk]=$!; pids+=("${pid[imgcdn-disk]}")
wait_http "http://127.0.0.1:${port[imgcdn-disk]}/small.png" "${pid[imgcdn-disk]}" "$domain" || { cat "$work/imgcdn-disk.log" >&2; exit 1; }
curl -fsS -o /dev/null -H "Host: $domain" "$(base_url imgcdn http-disk)/small.png"
is_hit imgcdn /small.png http-disk || { echo "the disk-only edge node does not answer hits" >&2; exit 1; }
rounds_on small.png http-disk imgcdn nginx

# 5b. The same small-object runs with equal response sizes. Each server's response head differs
# (imgcdn sends CloudFront's Via, X-Amz-Cf-Id, X-Amz-Cf-Pop, X-Cache and Age), and wrk reads
# 8 KiB at a time: a 32,369-byte body plus a head longer than 399 bytes crosses 32,768 and
# costs wrk a fifth read per response, on the cores the servers share with it (measured with
# a bare Go server: -10% requests/s from the crossing alone, head or body alike). nginx and
# Varnish get an X-Pad header that brings their heads to imgcdn's length (nginx reloaded with
# bench/edge/nginx.conf's pad.conf, Varnish switched to a padded copy of its VCL; caches kept).
head_bytes() { curl -fsS -o /dev/null -w '%{size_header}' -H "Host: $domain" "http://127.0.0.1:${port[$1]}/small.png"; }
declare -A head0 head1
for s in "${servers[@]}"; do head0[$s]=$(head_bytes "$s"); done
pad_for() { # the X-Pad value that lengthens SERVER's head to imgcdn's ("" when not shorter)
  local n=$(( ${head0[imgcdn]} - ${head0[$1]} - 9 )) # 9: "X-Pad: " and CRLF
  [ "$n" -gt 0 ] && printf '%*s' "$n" '' | tr ' ' x
}
pad=$(pad_for nginx)
[ -z "$pad" ] || echo "add_header X-Pad \"$pad\";" >"$work/nginx/pad.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" -s reload
pad=$(pad_for varnish)
sed "s|# @PAD@.*|${pad:+set resp.http.X-Pad = \"$pad\";}|" "$work/default.vcl" >"$work/padded.vcl"
varnishadm -n "$work/varnish" vcl.load padded "$work/padded.vcl" >/dev/null
varnishadm -n "$work/varnish" vcl.use padded >/dev/null
for s in "${servers[@]}"; do
  for _ in $(seq 50); do # nginx's old workers finish their connections before exiting
    head1[$s]=$(head_bytes "$s")
    [ $(( head1[$s] - head0[imgcdn] )) -ge -2 ] && [ $(( head1[$s] - head0[imgcdn] )) -le 2 ] && break
    sleep 0.2
  done
  is_hit "$s" /small.png || { echo "$s lost its cache when padded" >&2; exit 1; }
done
echo "response heads (bytes): imgcdn ${head0[imgcdn]}, nginx ${head0[nginx]} -> ${head1[nginx]}, varnish ${head0[varnish]} -> ${head1[varnish]}"
rounds_on small.png http-eq "${servers[@]}"

# 5c. The large object again against nginx copying the body through user space (sendfile off,
# one 1 MiB output buffer) as imgcdn and Varnish do, instead of sendfile. With sendfile the
# body's copy into wrk happens in wrk's read(), on cores wrk is the bottleneck of; copying
# servers do it in their own write() and answer more requests/s with a wider latency spread at
# 256 connections (measured during issue 6 with bare servers: nginx static without sendfile
# and a bare Go loop server show the same p99 as imgcdn, nginx with sendfile a lower p99 at
# two thirds of the rate). These runs compare like with like; the X-Pad of 5b goes away.
echo 'sendfile off; output_buffers 1 1m;' >"$work/nginx/pad.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" -s reload
for _ in $(seq 50); do # the X-Pad gone: the new workers answer
  [ "$(head_bytes nginx)" = "${head0[nginx]}" ] && break
  sleep 0.2
done
[ "$(head_bytes nginx)" = "${head0[nginx]}" ] || { echo "nginx did not reload for step 5c" >&2; exit 1; }
is_hit nginx /large.jpg || { echo "nginx lost its cache when reloaded without sendfile" >&2; exit 1; }
rounds_on large.jpg http-copy imgcdn nginx
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# 6. Memory per cached object: N distinct keys of the small object, over one connection.
# Disk use (du, allocated blocks) of the caches that keep objects on disk; Varnish's malloc
# storage has none.
declare -A cache_dir=([nginx]=$work/nginx/cache [imgcdn]=$work/imgcdn-data/edge-cache [varnish]="")
disk_kib() { if [ -n "$1" ] && [ -d "$1" ]; then du -sk "$1" | cut -f1; else echo 0; fi; }
for s in "${servers[@]}"; do
  read -r _ rss0 _ <<<"$("$tool" proc "${pid[$s]}")"
  disk0=$(disk_kib "${cache_dir[$s]}")
  codes=$(curl -sS -H "Host: $domain" -w '%{stderr}%{http_code}\n' \
    "http://127.0.0.1:${port[$s]}/k/mem-$s-[1-$objects].png" 2>&1 >/dev/null | grep -c '^200$' || true)
  if [ "$codes" -ne "$objects" ]; then
    echo "$s answered $codes of $objects objects with 200" >&2
    exit 1
  fi
  sleep 1
  read -r _ rss1 _ <<<"$("$tool" proc "${pid[$s]}")"
  echo "mem $s $objects $rss0 $rss1 $disk0 $(disk_kib "${cache_dir[$s]}")" >>"$raw"
done
echo "memory per object measured"

# 7. Profile of imgcdn's hit path.
prof_md=$work/profile.md
: >"$prof_md"
if [ -n "$profile" ]; then
  secs=$(( ${duration%s} > 4 ? ${duration%s} : 4 ))
  curl -fsS -o "$work/allocs0.pprof" "http://$pprof_addr/debug/pprof/allocs"
  curl -fsS -o "$work/cpu.pprof" "http://$pprof_addr/debug/pprof/profile?seconds=$((secs - 1))" &
  cpid=$!
  prof=$(wrk -t "$threads" -c 256 -d "${secs}s" --latency -s bench/edge/result.lua \
    -H "Host: $domain" "http://127.0.0.1:${port[imgcdn]}/small.png" | grep '^WRKRESULT')
  wait "$cpid"
  curl -fsS -o "$work/allocs1.pprof" "http://$pprof_addr/debug/pprof/allocs"
  read -r _ pn _ <<<"$prof"
  {
    echo
    echo "## Profile of imgcdn's hit path (--profile)"
    echo
    echo "wrk -c 256 on small.png for ${secs}s ($pn requests) against bench/edge/pprofserve (the same"
    echo "app.App as \`imgcdn serve\`, plus /debug/pprof on a separate port). The profile was kept as"
    echo "/tmp/edge-$stamp-{cpu,allocs0,allocs1}.pprof with its binary /tmp/edge-$stamp-pprofserve on the machine that ran it."
    echo
    echo "CPU, top frames by flat time (\`go tool pprof -top\`):"
    echo
    echo '```'
    go tool pprof -top -nodecount=30 "$work/bin/pprofserve" "$work/cpu.pprof" 2>/dev/null
    echo '```'
    echo
    echo "CPU, cumulative (\`-top -cum\`):"
    echo
    echo '```'
    go tool pprof -top -cum -nodecount=30 "$work/bin/pprofserve" "$work/cpu.pprof" 2>/dev/null
    echo '```'
    echo
    echo "Allocations during the run (\`-sample_index=alloc_objects -diff_base\`; divide by $pn requests):"
    echo
    echo '```'
    go tool pprof -top -nodecount=25 -sample_index=alloc_objects -diff_base "$work/allocs0.pprof" \
      "$work/bin/pprofserve" "$work/allocs1.pprof" 2>/dev/null
    echo '```'
  } >"$prof_md"
  # The profile itself stays out of the repository; the report quotes its top frames.
  for p in cpu allocs0 allocs1; do cp "$work/$p.pprof" "/tmp/edge-$stamp-$p.pprof"; done
  cp "$work/bin/pprofserve" "/tmp/edge-$stamp-pprofserve"
  echo "profile taken"
fi

# 8. The report.
header=$work/header.md
{
  echo "# Edge benchmark: imgcdn vs nginx proxy_cache vs Varnish, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "Produced by \`$cmdline\` (rounds $rounds, wrk -t$threads -d$duration, connections ${conns_list[*]})"
  echo "on $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, Linux $(uname -r)."
  echo "Load average (1, 5, 15 min): $load_start before the wrk rounds, $load_end after."
  echo "wrk and all servers share the cores (nothing pinned); with a load above the CPU count other"
  echo "processes took CPU from client and servers alike and every rate is a lower bound."
  echo
  echo "## Setup"
  echo
  echo "- Objects: small.png, 32,369 B PNG; large.jpg, 1,048,576 B JPEG (seeded noise, bench/edge/edgetool gen)."
  echo "- Origin: $(nginx -v 2>&1 | cut -d/ -f2-) (nginx), 1 worker, Cache-Control max-age=86400 (bench/edge/origin.conf)."
  echo "- nginx $(nginx -v 2>&1 | cut -d/ -f2-): proxy_cache on disk + keys zone, open_file_cache, $(nproc) workers, keep-alive upstream (bench/edge/nginx.conf)."
  echo "- Varnish $(varnishd -V 2>&1 | grep -o 'varnish-[0-9.]*' | head -1 | cut -d- -f2): -s malloc,2G, default thread pools (bench/edge/default.vcl)."
  echo "- imgcdn $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- internal cmd || echo ' (with uncommitted changes)'): \`imgcdn serve\`${profile:+ (as bench/edge/pprofserve)}, defaults (--cache-mem 256 MiB, --cache-disk 10 GiB),"
  echo "  a distribution with the origin as custom origin (bench/edge/distribution.json), created with $(aws --version 2>&1 | cut -d' ' -f1)."
  echo "- wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'): keep-alive HTTP/1.1, Host: <distribution domain> on every request to every server."
  if [ -n "$https" ]; then
    echo "- HTTPS ($(openssl version | cut -d' ' -f1-2) in wrk and s_client): imgcdn's --https listener (Go crypto/tls, TLS 1.2-1.3,"
    echo "  leaf issued on the fly by its local CA) and nginx \`listen ... ssl\` in the same server block as its HTTP"
    echo "  listener (bench/edge/nginx-tls.conf: TLSv1.3 only, an ECDSA P-256 leaf from the same CA, server"
    echo "  order preferring TLS_AES_128_GCM_SHA256 as Go does on AES hardware). Both"
    echo "  send leaf + CA. Negotiated (openssl s_client, defaults): imgcdn ${tls_info[imgcdn]}, nginx ${tls_info[nginx]};"
    echo "  both certificates verified against imgcdn's CA. SNI: wrk sends the URL's host, $tls_host; $sni_how."
    echo "  Varnish terminates no TLS (open source Varnish Cache needs a TLS proxy such as hitch): not measured over HTTPS."
  else
    echo "- HTTPS: not measured (--no-https)."
  fi
  echo "- Response heads of small.png (status line and headers, bytes): imgcdn ${head0[imgcdn]}, nginx ${head0[nginx]},"
  echo "  Varnish ${head0[varnish]}; with the 32,369-byte body, $((32369 + head0[imgcdn])), $((32369 + head0[nginx])) and $((32369 + head0[varnish])) bytes per"
  echo "  response, wrk reading 8 KiB at a time (32,768 is four reads). For the equal-size runs nginx"
  echo "  and Varnish were padded to ${head1[nginx]} and ${head1[varnish]} bytes (step 5b of the script)."
  echo "- Disk-tier hits (step 5a): a second imgcdn, \`imgcdn edge\` following the same control plane with"
  echo "  \`--cache-mem 0\`, so that every hit comes from its disk tier (the page cache), against the same nginx."
  echo "- Large object, copy path (step 5c): nginx reloaded with \`sendfile off; output_buffers 1 1m;\` so that it"
  echo "  copies the body in its own write() as imgcdn and Varnish do; with sendfile the copy is wrk's read()."
  echo "- Requests that reached the origin during the wrk runs (its access log): $origin_during_hits (0: every answer was a cache hit)."
} >"$header"
mkdir -p "$(dirname "$out")"
{ "$tool" report "$raw" "$header"; cat "$prof_md"; } >"$out"
cat "$out"
echo
echo "written to $out"
