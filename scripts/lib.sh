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
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >&2 || true
      for _ in $(seq 1 50); do port_open 5432 && break; sleep 0.1; done
      ensure_postgres_password
    fi
  fi
  port_open 4222 || say "NATS is not reachable on 127.0.0.1:4222"
  port_open 5432 || say "PostgreSQL is not reachable on 127.0.0.1:5432"
}

# A PostgreSQL this script started keeps its own authentication rules (pg_hba.conf is never edited): the
# postgres role gets a generated password once, written to $POOLSTATE_PGPASS (mode 0600), which the JDBC driver
# reads through PGPASSFILE. Needs root (to act as the postgres OS user over the local socket).
POOLSTATE_PGPASS="$POOLSTATE_ROOT/.poolstate/pgpass"
ensure_postgres_password() {
  if [ -f "$POOLSTATE_PGPASS" ] || [ "$(id -u)" != "0" ] || ! command -v runuser >/dev/null 2>&1; then
    return 0
  fi
  local pw
  pw=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  mkdir -p "$(dirname "$POOLSTATE_PGPASS")"
  # the password goes to psql on stdin, never on a command line other users could see
  if printf "ALTER ROLE postgres PASSWORD '%s';\n" "$pw" | runuser -u postgres -- psql -q -X >/dev/null 2>&1; then
    (umask 077; printf '127.0.0.1:*:*:postgres:%s\nlocalhost:*:*:postgres:%s\n' "$pw" "$pw" > "$POOLSTATE_PGPASS")
    say "PostgreSQL: the postgres role has a generated password, kept in $POOLSTATE_PGPASS (PGPASSFILE)"
  else
    say "could not set a password for the postgres role; connect with POSTGRES_PASSWORD or a pgpass file"
  fi
  runuser -u postgres -- psql -qAtX -c "SELECT 1 FROM pg_database WHERE datname = 'test'" 2>/dev/null | grep -q 1 \
    || runuser -u postgres -- createdb test >/dev/null 2>&1 || true
  if [ -f "$POOLSTATE_PGPASS" ]; then export PGPASSFILE="$POOLSTATE_PGPASS"; fi
}
if [ -f "$POOLSTATE_PGPASS" ] && [ -z "${PGPASSFILE:-}" ]; then
  export PGPASSFILE="$POOLSTATE_PGPASS"
fi

# Debian's chromium for the dashboard's browser test (headless, run by the test); installed when missing and root.
ensure_chromium() {
  if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    say "installing chromium (apt-get) for the dashboard test"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) >&2 \
      || say "could not install chromium; the dashboard test will be skipped"
  else
    say "chromium not found and cannot be installed here; the dashboard test will be skipped"
  fi
}

# promtool (checks the Prometheus alert rules in the tests): the Debian package's binary, extracted into
# .poolstate/tools without installing or starting a Prometheus server.
ensure_promtool() {
  if command -v promtool >/dev/null 2>&1; then
    export POOLSTATE_PROMTOOL="$(command -v promtool)"
    return 0
  fi
  local tools="$POOLSTATE_ROOT/.poolstate/tools"
  if [ -x "$tools/promtool" ]; then
    export POOLSTATE_PROMTOOL="$tools/promtool"
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    say "promtool not found and apt-get is missing; the alert-rule test will be skipped"
    return 0
  fi
  say "fetching promtool (Debian package prometheus, extracted into .poolstate/tools; no server is installed)"
  local tmp; tmp=$(mktemp -d)
  if [ "$(id -u)" = "0" ]; then apt-get update -qq >&2 || true; chmod 777 "$tmp"; fi
  if (cd "$tmp" && apt-get download -qq prometheus >&2 && dpkg-deb -x prometheus_*.deb x) && [ -x "$tmp/x/usr/bin/promtool" ]; then
    mkdir -p "$tools" && cp "$tmp/x/usr/bin/promtool" "$tools/promtool"
    export POOLSTATE_PROMTOOL="$tools/promtool"
  else
    say "could not fetch promtool; the alert-rule test will be skipped"
  fi
  rm -rf "$tmp"
}

# Builds the launcher jar when it is missing or any pom/source is newer.
ensure_built() {
  if [ -f "$POOLSTATE_JAR" ] && [ -z "$(find "$POOLSTATE_ROOT" -path "$POOLSTATE_ROOT/.git" -prune -o \
      \( -name pom.xml -o -path '*/src/main/*' \) -newer "$POOLSTATE_JAR" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  say "building (first use or sources changed)"
  # package, not install: the reactor finds the modules in their target/ directories; the shared ~/.m2 stays untouched
  (cd "$POOLSTATE_ROOT" && ./mvnw -q -B -DskipTests -Dmaven.javadoc.skip=true package -pl poolstate-app -am >&2) || die "build failed"
  touch "$POOLSTATE_JAR"
}

# The default maximum heap per command (POOLSTATE_JAVA_OPTS with its own -Xmx overrides it: the last -Xmx wins):
# sized for 10,000 pools with 50-500 initialised ticks per V3/V4 pool (docs/BENCHMARKS.md, "10,000 pools"). The arena
# also touches its heap's pages when it commits them (-XX:+AlwaysPreTouch): otherwise the first pass of its allocations
# through new memory takes a page fault every 4 KiB, which its block apply pays until the heap has been used once
# (docs/BENCHMARKS.md, "The arena's block apply at 10,000 pools, warm under 100 µs").
default_heap() {
  case "${1:-}" in
    arena) echo "-Xmx1g -XX:+AlwaysPreTouch" ;;
    feed) echo "-Xmx256m" ;;
    whitelist) echo "-Xmx1g" ;;
    whales) echo "-Xmx512m" ;;
    demo) echo "-Xmx2g" ;;
    devnet) echo "-Xmx1g" ;;
    networks) echo "-Xmx256m" ;;
    *) echo "" ;;
  esac
}
