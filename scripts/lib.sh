# Shared set-up for ./poolstate and ./run-tests: find a JDK >= 21, install the devnet's npm packages,
# build when sources changed. Sourced, not run.

POOLSTATE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POOLSTATE_NPM="$POOLSTATE_ROOT/poolstate-devnet/npm"
POOLSTATE_JAR="$POOLSTATE_ROOT/poolstate-app/target/poolstate.jar"

say() { echo "poolstate: $*" >&2; }
die() { echo "poolstate: error: $*" >&2; exit 1; }

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}' | awk -F. '{print ($1=="1")?$2:$1}'
}

# Sets JAVA_HOME to a JDK >= 21: JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm, else java on PATH.
find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${c%/}"); done
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in "${candidates[@]}"; do
    if [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ]; then
      major=$(java_major "$c/bin/java")
      if [ -n "$major" ] && [ "$major" -ge 21 ]; then
        export JAVA_HOME="$c"
        return 0
      fi
    fi
  done
  die "no JDK >= 21 found (looked at JAVA_HOME and /usr/lib/jvm); install one (e.g. Temurin 21+) or set JAVA_HOME"
}

# Installs Anvil and the Uniswap contract packages into poolstate-devnet/npm/node_modules when missing or stale.
ensure_npm() {
  local stamp="$POOLSTATE_NPM/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$POOLSTATE_NPM/package.json" ]; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      say "installing Node.js and npm (apt-get)"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm) >&2 || die "could not install npm"
    else
      die "npm is needed to install Anvil and the Uniswap contracts: install Node.js (with npm) first"
    fi
  fi
  say "installing npm packages (Anvil, Uniswap contracts) into poolstate-devnet/npm/node_modules"
  (cd "$POOLSTATE_NPM" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2) || die "npm install failed"
  touch "$stamp"
}

# Installs nats-server (Debian package) when missing: the feed's tests start their own JetStream server.
ensure_nats_server() {
  if command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ]; then
    return 0
  fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    say "installing nats-server (apt-get)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server) >&2 || say "could not install nats-server; NATS tests will be skipped"
  else
    say "nats-server not found and cannot be installed here; NATS tests will be skipped"
  fi
}

port_open() { (echo > "/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }

# Makes sure NATS (JetStream) answers on 127.0.0.1:4222 and PostgreSQL on 127.0.0.1:5432: starts them when
# installed, installs them (Debian packages) when missing and we are root.
ensure_services() {
  if ! port_open 4222; then
    ensure_nats_server
    if command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ]; then
      local bin; bin=$(command -v nats-server || echo /usr/sbin/nats-server)
      mkdir -p "$POOLSTATE_ROOT/.poolstate/nats"
      say "starting nats-server on 127.0.0.1:4222"
      nohup "$bin" -a 127.0.0.1 -p 4222 -js -sd "$POOLSTATE_ROOT/.poolstate/nats" > "$POOLSTATE_ROOT/.poolstate/nats.log" 2>&1 &
      for _ in $(seq 1 50); do port_open 4222 && break; sleep 0.1; done
    fi
  fi
  if ! port_open 5432; then
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        say "installing PostgreSQL (apt-get)"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2 || say "could not install PostgreSQL"
      fi
    fi
    if ls /etc/postgresql/*/main >/dev/null 2>&1; then
      say "starting PostgreSQL"
      # trust local connections, as the demo and tests connect without a password
      for hba in /etc/postgresql/*/main/pg_hba.conf; do
        if ! grep -q "poolstate" "$hba"; then
          { printf '# poolstate: trust local TCP connections (development machine)\nhost all all 127.0.0.1/32 trust\n'; cat "$hba"; } > "$hba.new"
          mv "$hba.new" "$hba"
        fi
      done
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >&2 || true
      for _ in $(seq 1 50); do port_open 5432 && break; sleep 0.1; done
    fi
  fi
  port_open 4222 || say "NATS is not reachable on 127.0.0.1:4222"
  port_open 5432 || say "PostgreSQL is not reachable on 127.0.0.1:5432"
}

# Builds the launcher jar when it is missing or any pom/source is newer.
ensure_built() {
  if [ -f "$POOLSTATE_JAR" ] && [ -z "$(find "$POOLSTATE_ROOT" -path "$POOLSTATE_ROOT/.git" -prune -o \
      \( -name pom.xml -o -path '*/src/main/*' \) -newer "$POOLSTATE_JAR" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  say "building (first use or sources changed)"
  (cd "$POOLSTATE_ROOT" && ./mvnw -q -B -DskipTests -Dmaven.javadoc.skip=true install >&2) || die "build failed"
  touch "$POOLSTATE_JAR"
}
