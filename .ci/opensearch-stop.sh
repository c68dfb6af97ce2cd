#!/usr/bin/env bash
# Stops the server started by opensearch-start.sh. Only the pid recorded in its
# run dir is signalled (never a match by process name), so an unrelated
# OpenSearch or Java on the machine is left alone. Succeeds if nothing runs.
#
# Environment: KB_OPENSEARCH_RUN_DIR, as for opensearch-start.sh.
set -euo pipefail

RUN_DIR="${KB_OPENSEARCH_RUN_DIR:-${TMPDIR:-/tmp}/runbook-kb-opensearch}"
PID_FILE="$RUN_DIR/opensearch.pid"

log() { printf '[opensearch-stop] %s\n' "$*" >&2; }

if [ ! -s "$PID_FILE" ]; then
  log "not running (no $PID_FILE)"
  exit 0
fi
pid="$(cat "$PID_FILE")"
if ! kill -0 "$pid" 2>/dev/null; then
  log "not running (stale pid $pid)"
  rm -f "$PID_FILE"
  exit 0
fi

# SIGTERM lets the node flush and release its data-dir lock; give it a while
# before forcing, so a wedged JVM cannot hang CI.
kill -TERM "$pid"
for _ in $(seq 1 30); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
if kill -0 "$pid" 2>/dev/null; then
  log "pid $pid ignored SIGTERM for 30s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
fi
# OpenSearch removes its pid file itself on a clean exit, but not after SIGKILL.
rm -f "$PID_FILE"
log "stopped pid $pid"
