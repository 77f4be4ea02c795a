#!/usr/bin/env bash
# Runs the agent benchmarks (BENCHMARKS-agent.md): hydration as a whole process against unzip and
# git clone, and event apply latency. Usage: agent/bench.sh [RUNS]   (from the repository root)
set -euo pipefail
RUNS=${1:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
./mvnw -B -q -pl agent -am package -DskipTests
./mvnw -B -q -pl agent -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$ROOT/agent/target/test-classpath.txt" -Dmdep.includeScope=test
CP="agent/target/test-classes:agent/target/classes:$(cat agent/target/test-classpath.txt)"
WORK=${BENCH_DIR:-/tmp/preview-agent-bench}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for size in "10 1000" "1000 10000000" "10000 100000000"; do
  set -- $size
  java -cp "$CP" dev.velocity.preview.agent.bench.HydrateBench agent/target/preview-agent.jar \
    agent/target/preview-agent.jsa "$WORK/h$1" "$1" "$2" "$RUNS"
done
java -XX:+UseSerialGC -cp "$CP" dev.velocity.preview.agent.bench.ApplyLatencyBench "$WORK/apply" 5000
