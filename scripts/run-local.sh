#!/usr/bin/env bash
# Runs the whole pipeline on this machine, in the foreground: a Kafka broker, the
# MongoDB-wire server, video-api and video-stream, each with its name before its log lines.
# It says the pipeline is ready once both services report ready (the worker's consumers have
# joined their groups), and stops everything when any part exits. Ctrl-C or SIGTERM stops
# all four, services first. Used by `make run`; expects the jars that `make build` makes.
set -uo pipefail
cd "$(dirname "$0")/.."

JAVA=${JAVA:-java}
API_PORT=10080
# The same API on a port browsers accept (they refuse 10080): the web page.
BROWSER_PORT=${VIDEO_API_BROWSER_PORT:-8080}
WORKER_PORT=8081
started=$(date +%s%N)
names=()
pids=()

# start NAME COMMAND...: runs COMMAND in the background with its output prefixed by NAME.
start() {
  local name=$1
  shift
  # The prefixer ignores Ctrl-C so that it still shows the process's last lines while it stops.
  "$@" > >(trap '' INT; exec sed -u "s/^/$(printf '%-8s' "[$name]") /") 2>&1 &
  pids+=($!)
  names+=("$name")
}

# all_running: fails, naming it, when a part has exited.
all_running() {
  local i
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[i]}" 2>/dev/null; then
      echo "[run]     ${names[i]} exited while starting" >&2
      return 1
    fi
  done
}

# wait_until WHAT CHECK...: runs CHECK until it succeeds (at most 180 s), while every part runs.
wait_until() {
  local what=$1
  shift
  for _ in $(seq 1 1800); do
    "$@" && return 0
    all_running || return 1
    sleep 0.1
  done
  echo "[run]     $what: not within 180 s" >&2
  return 1
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ready PORT: the service on PORT answers 200 on its readiness endpoint.
ready() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1" \
    && printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 \
    && head -n 1 <&3 | grep -q ' 200 ') 2>/dev/null
}

stopping=0
stop() {
  [ "$stopping" = 1 ] && return
  stopping=1
  echo "[run]     stopping: ${names[*]}"
  # Services first, then the infrastructure they use.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null
    wait "${pids[i]}" 2>/dev/null
  done
  echo "[run]     stopped"
}
trap 'stop; exit 0' INT TERM HUP
trap stop EXIT

# When whoever started us goes away (make killed with SIGTERM does not pass it on), stop too.
parent=$PPID
(while kill -0 "$parent" 2>/dev/null; do sleep 1; done; kill -TERM $$ 2>/dev/null) &

for port in 9092 9093 27017 $API_PORT $BROWSER_PORT $WORKER_PORT; do
  if listening "$port"; then
    echo "[run]     port $port is already in use: is the pipeline already running?" >&2
    exit 1
  fi
done

start kafka "$JAVA" ${KAFKA_JAVA_OPTS:--Xmx512m} -jar local-stack/target/local-stack-exec.jar kafka
# The MongoDB-wire server holds its H2 store's pages in the heap: 2 GB takes a 1 GiB upload.
start mongo "$JAVA" ${MONGO_JAVA_OPTS:--Xmx2g} -jar local-stack/target/local-stack-exec.jar mongo
wait_until "Kafka" listening 9092 && wait_until "MongoDB" listening 27017 || exit 1

start stream "$JAVA" ${STREAM_JAVA_OPTS:--Xmx512m} -jar video-stream/target/video-stream-exec.jar \
  --server.port=$WORKER_PORT
start api "$JAVA" ${API_JAVA_OPTS:--Xmx512m} -jar video-api/target/video-api-exec.jar --server.port=$API_PORT \
  --video.api.browser-port=$BROWSER_PORT
wait_until "video-api ready" ready $API_PORT && wait_until "video-stream ready" ready $WORKER_PORT || exit 1

elapsed=$(( ($(date +%s%N) - started) / 1000000 ))
cat <<TXT
[run]     pipeline ready in ${elapsed} ms. Try:
[run]       curl -X POST localhost:$API_PORT/v1/videos -F "file=@video.mp4"
TXT
if [ "$BROWSER_PORT" != "-1" ]; then
  echo "[run]     The web page: http://localhost:$BROWSER_PORT/   (API reference: http://localhost:$BROWSER_PORT/swagger-ui/index.html)"
fi
echo "[run]     Ctrl-C stops everything."

# Stay in the foreground until one of the four exits or we are stopped.
wait -n "${pids[@]}"
for i in "${!pids[@]}"; do
  kill -0 "${pids[i]}" 2>/dev/null || echo "[run]     ${names[i]} exited; stopping the others" >&2
done
exit 1
