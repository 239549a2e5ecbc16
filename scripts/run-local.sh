#!/usr/bin/env bash
# Runs the whole pipeline on this machine, in the foreground: a Kafka broker, the
# MongoDB-wire server, video-api and video-stream, each with its name before its log lines.
# Ctrl-C or SIGTERM stops all four, services first. Used by `make run`; expects the jars
# that `make build` makes.
set -uo pipefail
cd "$(dirname "$0")/.."

JAVA=${JAVA:-java}
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

# wait_for NAME PORT: waits until something listens on 127.0.0.1:PORT (at most 120 s).
wait_for() {
  local name=$1 port=$2
  for _ in $(seq 1 1200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "${pids[-1]}" 2>/dev/null && [ "${names[-1]}" = "$name" ]; then
      echo "[run]     $name exited before listening on port $port" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "[run]     $name did not listen on port $port within 120 s" >&2
  return 1
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

for port in 9092 9093 27017 10080; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "[run]     port $port is already in use: is the pipeline already running?" >&2
    exit 1
  fi
done

start kafka "$JAVA" ${KAFKA_JAVA_OPTS:--Xmx512m} -jar local-stack/target/local-stack-exec.jar kafka
# The MongoDB-wire server holds its H2 store's pages in the heap: 2 GB takes a 1 GiB upload.
start mongo "$JAVA" ${MONGO_JAVA_OPTS:--Xmx2g} -jar local-stack/target/local-stack-exec.jar mongo
wait_for kafka 9092 && wait_for mongo 27017 || exit 1

start api "$JAVA" ${API_JAVA_OPTS:--Xmx512m} -jar video-api/target/video-api-exec.jar
start stream "$JAVA" ${STREAM_JAVA_OPTS:--Xmx512m} -jar video-stream/target/video-stream-exec.jar
wait_for api 10080 || exit 1

elapsed=$(( ($(date +%s%N) - started) / 1000000 ))
cat <<TXT
[run]     pipeline ready in ${elapsed} ms. Try:
[run]       curl -X POST localhost:10080/v1/videos -F "file=@video.mp4"
[run]     Ctrl-C stops everything.
TXT

# Stay in the foreground until one of the four exits or we are stopped.
wait -n "${pids[@]}"
echo "[run]     a process exited; stopping the others" >&2
exit 1
