#!/usr/bin/env bash
# Runs the whole Preview Operator system on this machine: embedded PostgreSQL, an in-process S3
# server, the Kubernetes mock API server, the real operator and realtime gateway, and a process
# kubelet that runs session pods as local processes. Needs only a JDK 17.
#
#   ./run-local.sh                 # demo: one narrated session with timed edits, then stop
#   ./run-local.sh up              # run until Ctrl-C (prints psql, kubeconfig and gateway URL)
#   ./run-local.sh bench --sessions 50 --duration 30s
#   ./run-local.sh help
#
# Builds first (./mvnw -B -q -DskipTests package) when a jar is missing or older than a source.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v java >/dev/null 2>&1; then
  echo "run-local.sh: java not found; install a JDK 17 (e.g. apt-get install openjdk-17-jdk)" >&2
  exit 1
fi
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
if [ "${java_major:-0}" -lt 17 ]; then
  echo "run-local.sh: Java 17 or newer is needed, found ${java_major:-unknown}" >&2
  exit 1
fi

local_jar=e2e/target/preview-local.jar
agent_jar=agent/target/preview-agent.jar
needs_build() {
  [ -f "$local_jar" ] && [ -f "$agent_jar" ] || return 0
  # stale when any source, resource or pom is newer than the local jar
  [ -n "$(find . -type d \( -name target -o -name .git -o -name node_modules \) -prune -o \
      -type f \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
      -newer "$local_jar" -print -quit)" ]
}
if needs_build; then
  echo "building the jars (./mvnw -B -q -DskipTests package) ..."
  ./mvnw -B -q -DskipTests package
fi

if [ $# -eq 0 ]; then
  set -- demo
fi
exec java -jar "$local_jar" "$@"
