# Shell helpers shared by the bench/run-*.sh scripts; sourced, not run.

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

# wait_http URL PID [HOST]: wait up to 60 s for URL to answer 200 while PID lives.
wait_http() {
  for _ in $(seq 600); do
    if curl -fs -o /dev/null ${3:+-H "Host: $3"} "$1"; then return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then echo "server exited before answering $1" >&2; return 1; fi
    sleep 0.1
  done
  echo "timed out waiting for $1" >&2
  return 1
}
