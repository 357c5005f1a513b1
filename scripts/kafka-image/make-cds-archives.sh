#!/usr/bin/env bash
# Run once during `docker build`: starts the config/format step and the broker one time
# each with -XX:ArchiveClassesAtExit, so that later starts load their classes from
# AppCDS archives (/opt/kafka/storage.jsa, /opt/kafka/kafka.jsa), like apache/kafka's
# image does. Optional: when anything fails, no archive is kept and the image still works.
set -u
work="$(mktemp -d)"
mkdir -p "$work/config" "$work/mounted"
sed -e "s|^log.dirs=.*|log.dirs=$work/logs|" /etc/kafka/docker/server.properties > "$work/server.properties"
cp /etc/kafka/docker/log4j2.yaml /etc/kafka/docker/tools-log4j2.yaml "$work/"
perf="-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true"

ok=1
if ! env -i PATH="$PATH" JAVA_HOME="${JAVA_HOME:-}" CLUSTER_ID=5L6g3nShT-eMCtK--X86sw \
     KAFKA_JVM_PERFORMANCE_OPTS="$perf -XX:ArchiveClassesAtExit=/opt/kafka/storage.jsa" \
     /opt/kafka/bin/kafka-run-class.sh kafka.docker.KafkaDockerWrapper setup \
       --default-configs-dir "$work" --mounted-configs-dir "$work/mounted" --final-configs-dir "$work/config" \
     > "$work/setup.log" 2>&1; then
  echo "make-cds-archives: setup run failed:"; cat "$work/setup.log"; ok=""
fi

if [ -n "$ok" ]; then
  env -i PATH="$PATH" JAVA_HOME="${JAVA_HOME:-}" KAFKA_HEAP_OPTS="-Xmx512M" \
      KAFKA_JVM_PERFORMANCE_OPTS="$perf -XX:ArchiveClassesAtExit=/opt/kafka/kafka.jsa" \
      /opt/kafka/bin/kafka-server-start.sh "$work/config/server.properties" > "$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do
    grep -q 'Kafka Server started' "$work/server.log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if grep -q 'Kafka Server started' "$work/server.log"; then
    sleep 2 # let the first metadata/log work load its classes too
    kill -TERM "$pid"
  else
    echo "make-cds-archives: the broker did not start:"; tail -n 30 "$work/server.log"; kill -KILL "$pid" 2>/dev/null; ok=""
  fi
  wait "$pid" 2>/dev/null
fi

if [ -n "$ok" ] && [ -s /opt/kafka/storage.jsa ] && [ -s /opt/kafka/kafka.jsa ]; then
  echo "make-cds-archives: $(du -ch /opt/kafka/*.jsa | tail -n 1 | cut -f1) of class archives written"
else
  echo "make-cds-archives: no class archives (starts will be a little slower)"
  rm -f /opt/kafka/storage.jsa /opt/kafka/kafka.jsa
fi
rm -rf "$work"
exit 0
