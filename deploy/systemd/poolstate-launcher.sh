#!/usr/bin/env bash
# /opt/poolstate/bin/poolstate: runs the launcher jar with the JDK in /opt/poolstate/runtime (or JAVA_HOME).
set -euo pipefail
JAVA="${JAVA_HOME:-/opt/poolstate/runtime}/bin/java"
# shellcheck disable=SC2086 # JAVA_OPTS holds several options
exec "$JAVA" ${JAVA_OPTS:-} -XX:+ExitOnOutOfMemoryError -Dpoolstate.home="${POOLSTATE_HOME:-/var/lib/poolstate}" -jar /opt/poolstate/poolstate.jar "$@"
