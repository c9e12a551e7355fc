#!/usr/bin/env bash
# The poolstate image's entrypoint.
#   <command> [options]      runs the launcher: whitelist, feed, arena, whales run, networks check, ... (as ./poolstate)
#   healthcheck URL          exits 0 when GET URL answers 2xx within 5 s (the image has no curl: bash's /dev/tcp)
# It refuses to run as root (the image runs as user poolstate) unless POOLSTATE_ALLOW_ROOT=1; JAVA_OPTS adds JVM options.
set -euo pipefail

healthcheck() {
  local url="$1" rest host port path status
  case "$url" in
    http://*) rest="${url#http://}" ;;
    *) echo "healthcheck: only http:// URLs: $url" >&2; return 2 ;;
  esac
  host="${rest%%/*}"
  path="/${rest#*/}"
  [ "$path" = "/$rest" ] && path="/"
  port="${host##*:}"
  [ "$port" = "$host" ] && port=80
  host="${host%:*}"
  exec 3<>"/dev/tcp/$host/$port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$host" >&3
  IFS=' ' read -r -t 5 _ status _ <&3 || return 1
  exec 3<&-
  case "$status" in
    2??) return 0 ;;
    *) echo "healthcheck: $url answered $status" >&2; return 1 ;;
  esac
}

if [ "${1:-}" = "healthcheck" ]; then
  shift
  [ $# -eq 1 ] || { echo "usage: healthcheck http://HOST:PORT/PATH" >&2; exit 2; }
  healthcheck "$1"
  exit $?
fi

if [ "$(id -u)" = "0" ] && [ "${POOLSTATE_ALLOW_ROOT:-}" != "1" ]; then
  echo "poolstate: refusing to run as root; run the image as its user poolstate (or set POOLSTATE_ALLOW_ROOT=1)" >&2
  exit 64
fi

# shellcheck disable=SC2086 # JAVA_OPTS holds several options
exec "${POOLSTATE_JAVA:-/opt/poolstate/runtime/bin/java}" ${JAVA_OPTS:-} -XX:+ExitOnOutOfMemoryError \
  -Dpoolstate.home="${POOLSTATE_HOME:-/var/lib/poolstate}" \
  -jar "${POOLSTATE_JAR:-/opt/poolstate/poolstate.jar}" "$@"
