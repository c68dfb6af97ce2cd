#!/usr/bin/env bash
# Starts a throwaway single-node OpenSearch on 127.0.0.1 for the integration
# tests, or reuses one that already answers, and prints its URL on stdout (and
# nothing else there, so callers can do URL="$(.ci/opensearch-start.sh)").
# Installs it first via opensearch-install.sh when needed.
#
# Environment (all optional):
#   KB_CACHE_DIR             same as for opensearch-install.sh
#   KB_OPENSEARCH_PORT       HTTP port                          (default: 9200)
#   KB_OPENSEARCH_HEAP       JVM heap                           (default: 512m)
#   KB_OPENSEARCH_RUN_DIR    config, data, logs, pid            (default: ${TMPDIR:-/tmp}/runbook-kb-opensearch)
#   KB_OPENSEARCH_KEEP_DATA  1 = keep the previous run's data   (default: start empty)
#   KB_OPENSEARCH_TIMEOUT    seconds to wait for yellow/green   (default: 120)
#   KB_OPENSEARCH_USER       user to run as when we are root    (default: opensearch)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KB_CACHE_DIR="${KB_CACHE_DIR:-$HOME/.cache/runbook-kb}"
PORT="${KB_OPENSEARCH_PORT:-9200}"
HEAP="${KB_OPENSEARCH_HEAP:-512m}"
RUN_DIR="${KB_OPENSEARCH_RUN_DIR:-${TMPDIR:-/tmp}/runbook-kb-opensearch}"
TIMEOUT="${KB_OPENSEARCH_TIMEOUT:-120}"
URL="http://127.0.0.1:$PORT"
PID_FILE="$RUN_DIR/opensearch.pid"

log() { printf '[opensearch-start] %s\n' "$*" >&2; }

healthy() {
  # wait_for_status answers 408 (so curl -f fails) while the cluster is red.
  curl -fsS -m 5 "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1
}

show_logs() {
  local f
  for f in "$RUN_DIR/logs/console.log" "$RUN_DIR/logs/runbook-kb.log"; do
    if [ -s "$f" ]; then
      log "---- last lines of $f ----"
      tail -n 60 "$f" >&2
    fi
  done
}

pid_alive() {
  [ -s "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

if healthy; then
  log "reusing the server already answering at $URL"
  printf '%s\n' "$URL"
  exit 0
fi

# Install (a no-op costing about a second when everything is in place) and
# pick up where it put things and which Java it chose.
bash "$HERE/opensearch-install.sh" >/dev/null
# shellcheck source=/dev/null
. "$KB_CACHE_DIR/opensearch.env"
OS_HOME="$KB_OPENSEARCH_HOME"

launched_pid=""
if pid_alive; then
  # A previous start is still booting (or hung): wait on it rather than
  # starting a second node that would fight over the port and data dir.
  log "a server from $PID_FILE (pid $(cat "$PID_FILE")) is running but not healthy yet; waiting for it"
else
  # OpenSearch refuses to run as root; use a dedicated system user then.
  RUN_AS=""
  if [ "$(id -u)" -eq 0 ]; then
    RUN_AS="${KB_OPENSEARCH_USER:-opensearch}"
    if ! id "$RUN_AS" >/dev/null 2>&1; then
      log "creating system user $RUN_AS"
      # Reuse a same-named group if one exists (useradd -U refuses then).
      if getent group "$RUN_AS" >/dev/null; then grp=(-g "$RUN_AS"); else grp=(--user-group); fi
      useradd --system "${grp[@]}" --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$RUN_AS"
    fi
  fi

  # Fresh state by default so every test run sees the same empty cluster and
  # leftovers from an older OpenSearch version cannot break startup.
  if [ "${KB_OPENSEARCH_KEEP_DATA:-0}" != 1 ]; then rm -rf "$RUN_DIR/data"; fi
  rm -rf "$RUN_DIR/config" "$RUN_DIR/logs" "$RUN_DIR/tmp" "$PID_FILE"
  mkdir -p "$RUN_DIR/data" "$RUN_DIR/logs" "$RUN_DIR/tmp"
  # Config lives in the run dir (OPENSEARCH_PATH_CONF) so the install stays
  # read-only and shared, and the node may write its keystore next to it.
  cp -R "$OS_HOME/config" "$RUN_DIR/config"

  # The minimal distribution has no security plugin, so HTTP is plain and
  # unauthenticated; there is no plugins.security.* setting to flip (an
  # unknown setting would even stop the node from starting).
  cat >"$RUN_DIR/config/opensearch.yml" <<EOF
cluster.name: runbook-kb
node.name: runbook-kb-node
network.host: 127.0.0.1
http.port: $PORT
# a range, so a second instance on another HTTP port does not clash here
transport.port: 9300-9399
discovery.type: single-node
path.data: $RUN_DIR/data
path.logs: $RUN_DIR/logs
# CI disks can be fuller than the default 85/90/95% watermarks allow; with
# them on, shards would stay unassigned and the cluster red.
cluster.routing.allocation.disk.threshold_enabled: false
EOF
  # bin/opensearch cds into the (read-only) install before starting java, so
  # the stock relative paths for the GC log, heap dumps and crash logs would
  # point there; send them to the run dir instead. Its 1g heap goes too, so
  # the only heap setting is ours below.
  sed -i -e '/^-Xm[sx]/d' \
    -e "s#file=logs/#file=$RUN_DIR/logs/#" \
    -e "s#HeapDumpPath=data#HeapDumpPath=$RUN_DIR/tmp#" \
    -e "s#ErrorFile=logs/#ErrorFile=$RUN_DIR/logs/#" \
    "$RUN_DIR/config/jvm.options"
  # Heap dumps (as big as the heap) can fill a CI disk and nobody reads them.
  cat >"$RUN_DIR/config/jvm.options.d/runbook-kb.options" <<EOF
-Xms$HEAP
-Xmx$HEAP
-XX:-HeapDumpOnOutOfMemoryError
EOF

  if [ -n "$RUN_AS" ]; then chown -R "$RUN_AS:" "$RUN_DIR"; fi

  log "starting OpenSearch $KB_OPENSEARCH_VERSION from $OS_HOME (java $KB_OPENSEARCH_JAVA_HOME${RUN_AS:+, as user $RUN_AS})"
  cmd=(env
    OPENSEARCH_PATH_CONF="$RUN_DIR/config"
    OPENSEARCH_JAVA_HOME="$KB_OPENSEARCH_JAVA_HOME"
    OPENSEARCH_TMPDIR="$RUN_DIR/tmp"
    "$OS_HOME/bin/opensearch" -p "$PID_FILE")
  if [ -n "$RUN_AS" ]; then
    # setpriv execs straight into the command (no lingering parent, no PAM),
    # so the pid we track is the server's own.
    cmd=(setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --init-groups "${cmd[@]}")
  fi
  # setsid + no stdin + redirected output detach it from the caller, so CI's
  # shell neither waits on it nor keeps its pipes open.
  (cd "$RUN_DIR" && exec setsid "${cmd[@]}" </dev/null >"$RUN_DIR/logs/console.log" 2>&1) &
  launched_pid=$!
fi

deadline=$((SECONDS + TIMEOUT))
until healthy; do
  if [ -n "$launched_pid" ] && ! kill -0 "$launched_pid" 2>/dev/null && ! pid_alive; then
    log "OpenSearch exited during startup"
    show_logs
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "OpenSearch did not reach yellow/green within ${TIMEOUT}s"
    show_logs
    # Don't leave a half-started node holding the port for the next attempt.
    bash "$HERE/opensearch-stop.sh" >&2 || true
    exit 1
  fi
  sleep 1
done

log "OpenSearch is up at $URL (pid $(cat "$PID_FILE" 2>/dev/null || echo '?'), run dir $RUN_DIR)"
printf '%s\n' "$URL"
