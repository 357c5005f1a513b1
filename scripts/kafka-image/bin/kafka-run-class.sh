#!/usr/bin/env bash
# Minimal kafka-run-class.sh: runs a class on Kafka's classpath with the usual
# KAFKA_HEAP_OPTS / KAFKA_JVM_PERFORMANCE_OPTS / KAFKA_GC_LOG_OPTS / KAFKA_JMX_OPTS /
# KAFKA_LOG4J_OPTS / KAFKA_OPTS variables.   Usage: kafka-run-class.sh CLASS [ARGS...]
[ $# -ge 1 ] || { echo "USAGE: $0 classname [opts]" >&2; exit 1; }
base_dir=/opt/kafka
CLASSPATH="${CLASSPATH:+$CLASSPATH:}$base_dir/libs/*"
: "${KAFKA_HEAP_OPTS:=-Xmx256M}"
: "${KAFKA_JVM_PERFORMANCE_OPTS:=-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true}"
: "${KAFKA_LOG4J_OPTS:=-Dlog4j2.configurationFile=file:$base_dir/config/tools-log4j2.yaml}"
: "${KAFKA_JMX_OPTS:=-Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false}"
if [ -n "${JMX_PORT:-}" ]; then
  KAFKA_JMX_OPTS="$KAFKA_JMX_OPTS -Dcom.sun.management.jmxremote.port=$JMX_PORT"
  case "$KAFKA_JMX_OPTS" in *rmi.port*) ;; *) KAFKA_JMX_OPTS="$KAFKA_JMX_OPTS -Dcom.sun.management.jmxremote.rmi.port=$JMX_PORT" ;; esac
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# shellcheck disable=SC2086 # the *_OPTS variables are word lists
exec "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS ${KAFKA_GC_LOG_OPTS:-} $KAFKA_JMX_OPTS \
  $KAFKA_LOG4J_OPTS -Dkafka.logs.dir="${LOG_DIR:-$base_dir/logs}" -cp "$CLASSPATH" ${KAFKA_OPTS:-} "$@"
