#!/usr/bin/env bash
# Builds a local Docker image of Apache Kafka without any container registry:
# only Debian's apt mirror (debootstrap) and Maven Central (the Kafka jars) are used.
#
#   scripts/build-kafka-image.sh [--image NAME:TAG] [--rebuild-base] [--check]
#
# Steps (each is skipped when already done, so the script can be run again at will):
#   1. Docker engine: installs docker.io and starts dockerd if needed (scripts/start-docker.sh).
#   2. Base image  $BASE_IMAGE: Debian bookworm (debootstrap, minbase) + openjdk-17-jre-headless,
#      imported with `docker import`. Built only when `docker image inspect` does not find it.
#   3. Kafka jars: `mvn dependency:copy-dependencies` on kafka/pom.xml (version = <kafka.version>).
#   4. Kafka image $KAFKA_IMAGE (default kafka-offset-lab/kafka:<kafka.version>): `docker build`
#      of scripts/kafka-image/Dockerfile FROM the base image (layer cache makes reruns fast).
#   5. With --check: starts the image once, waits for "Kafka Server started", removes it.
#
# The image takes its settings like the official apache/kafka image (KAFKA_* env vars turned
# into server.properties, CLUSTER_ID, /mnt/shared/config/server.properties, CMD
# /etc/kafka/docker/run) and also works with @testcontainers/kafka's KafkaContainer, which
# was written for confluentinc/cp-kafka (see scripts/kafka-image/etc-confluent-docker/run).
#
# Environment (all optional):
#   KAFKA_IMAGE        image name and tag     (default kafka-offset-lab/kafka:<kafka.version>)
#   BASE_IMAGE         base image name        (default kafka-offset-lab/debian-jre17:bookworm-1)
#   DEBIAN_MIRROR      apt mirror for debootstrap (default: the one this machine's apt sources
#                      use for bookworm, found by scripts/apt-mirror.sh; none there: an error)
#   KAFKA_JARS_DIR     use the jars already in this folder instead of running Maven
#   WORK_DIR           scratch folder (default: a new folder under ${TMPDIR:-/tmp}, removed at exit)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
POM="$ROOT_DIR/kafka/pom.xml"
IMAGE_SRC="$SCRIPT_DIR/kafka-image"
BASE_IMAGE="${BASE_IMAGE:-kafka-offset-lab/debian-jre17:bookworm-1}"
SUITE=bookworm
JRE_PACKAGE=openjdk-17-jre-headless
export DOCKER_BUILDKIT=0 # the classic builder works with any engine and needs no buildx plugin

START_S=$SECONDS
log() { printf '[build-kafka-image %3ds] %s\n' "$((SECONDS - START_S))" "$*" >&2; }
die() { printf '[build-kafka-image] ERROR: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

usage() { sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

REBUILD_BASE=""
CHECK=""
while [ $# -gt 0 ]; do
  case "$1" in
    --image) [ $# -ge 2 ] || die "--image needs a value"; KAFKA_IMAGE="$2"; shift 2 ;;
    --image=*) KAFKA_IMAGE="${1#--image=}"; shift ;;
    --rebuild-base) REBUILD_BASE=1; shift ;;
    --check) CHECK=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

[ -f "$POM" ] || die "$POM not found"
[ -f "$IMAGE_SRC/Dockerfile" ] || die "$IMAGE_SRC/Dockerfile not found"
KAFKA_VERSION="$(sed -n 's:.*<kafka\.version>[[:space:]]*\([^<[:space:]]*\)[[:space:]]*</kafka\.version>.*:\1:p' "$POM" | head -n 1)"
[ -n "$KAFKA_VERSION" ] || die "no <kafka.version> property in $POM"
KAFKA_IMAGE="${KAFKA_IMAGE:-kafka-offset-lab/kafka:$KAFKA_VERSION}"
log "Kafka $KAFKA_VERSION -> image $KAFKA_IMAGE (base $BASE_IMAGE)"

# Scratch space, removed at exit (the debootstrap tree holds device nodes: remove as root).
if [ -n "${WORK_DIR:-}" ]; then
  mkdir -p "$WORK_DIR"; KEEP_WORK=1
else
  WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/build-kafka-image.XXXXXX")"; KEEP_WORK=""
fi
CHECK_CONTAINER=""
cleanup() {
  local rc=$?
  if [ -n "$CHECK_CONTAINER" ]; then docker rm -f -v "$CHECK_CONTAINER" >/dev/null 2>&1 || true; fi
  if [ -d "$WORK_DIR/rootfs" ]; then
    # never follow anything out of the tree: unmount leftovers first
    for m in proc sys dev/pts dev; do
      mountpoint -q "$WORK_DIR/rootfs/$m" 2>/dev/null && as_root umount -l "$WORK_DIR/rootfs/$m" || true
    done
    as_root rm -rf --one-file-system "$WORK_DIR/rootfs" || true
  fi
  if [ -z "$KEEP_WORK" ]; then rm -rf "$WORK_DIR" || true; fi
  [ $rc -eq 0 ] || echo "[build-kafka-image] FAILED (exit $rc)" >&2
}
trap cleanup EXIT

# ---------------------------------------------------------------- 1. Docker engine
log "step 1/4: Docker engine"
"$SCRIPT_DIR/start-docker.sh" || die "no Docker engine (scripts/start-docker.sh failed)"

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    log "apt-get update ..."
    as_root apt-get update -qq >/dev/null || die "apt-get update failed"
    apt_updated=1
  fi
  log "apt-get install -y $* ..."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
    || die "apt-get install $* failed"
}

# ---------------------------------------------------------------- 2. base image
# The mirror comes from the machine's own apt sources (or DEBIAN_MIRROR): the project names none.
source "$SCRIPT_DIR/apt-mirror.sh"
debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  apt_mirror "$SUITE" /etc/apt && return
  die "no Debian mirror for $SUITE in this machine's apt sources (/etc/apt/sources.list, /etc/apt/sources.list.d/*.list, *.sources); set DEBIAN_MIRROR=<URL of a Debian mirror>"
}

build_base() {
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  local rootfs="$WORK_DIR/rootfs" mirror
  mirror="$(debian_mirror)" || exit 1
  as_root rm -rf --one-file-system "$rootfs"
  mkdir -p "$rootfs"
  log "debootstrap --variant=minbase $SUITE from $mirror with $JRE_PACKAGE (about a minute) ..."
  if ! as_root debootstrap --variant=minbase --include="$JRE_PACKAGE" "$SUITE" "$rootfs" "$mirror" \
        >"$WORK_DIR/debootstrap.log" 2>&1; then
    tail -n 30 "$WORK_DIR/debootstrap.log" >&2
    [ -f "$rootfs/debootstrap/debootstrap.log" ] && tail -n 30 "$rootfs/debootstrap/debootstrap.log" >&2
    die "debootstrap failed (full log above / in $WORK_DIR/debootstrap.log)"
  fi
  local java_home
  java_home="$(as_root chroot "$rootfs" sh -c 'dirname "$(dirname "$(readlink -f /usr/bin/java)")"')"
  [ -x "$rootfs$java_home/bin/java" ] || die "no java in the debootstrap tree ($java_home)"
  log "slimming the tree (apt caches, docs, man pages) ..."
  as_root sh -c "cd '$rootfs' && rm -rf var/cache/apt/archives/*.deb var/cache/apt/*.bin var/lib/apt/lists/* \
      usr/share/doc/* usr/share/man/* usr/share/info/* var/log/*.log debootstrap \
      && : > etc/resolv.conf && echo localhost > etc/hostname"
  log "docker import -> $BASE_IMAGE ..."
  as_root tar -C "$rootfs" --numeric-owner -c . | docker import \
      --change "ENV JAVA_HOME=$java_home" \
      --change 'ENV LANG=C.UTF-8' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["/bin/bash"]' \
      --message "debootstrap --variant=minbase $SUITE + $JRE_PACKAGE" \
      - "$BASE_IMAGE" >/dev/null || die "docker import failed"
  # java needs /proc to find its libraries, so it is tried in a container, not in the chroot
  if ! docker run --rm --network none "$BASE_IMAGE" java -version >/dev/null 2>&1; then
    docker run --rm --network none "$BASE_IMAGE" java -version >&2 || true
    docker rmi "$BASE_IMAGE" >/dev/null 2>&1 || true
    die "java does not run in the base image"
  fi
  as_root rm -rf --one-file-system "$rootfs"
}

log "step 2/4: base image $BASE_IMAGE"
if [ -z "$REBUILD_BASE" ] && docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  log "base image already there, skipped (--rebuild-base to redo it)"
else
  t0=$SECONDS
  build_base
  log "base image built in $((SECONDS - t0))s"
fi

# ---------------------------------------------------------------- 3. Kafka jars
log "step 3/4: Kafka $KAFKA_VERSION jars"
CONTEXT="$WORK_DIR/context"
rm -rf "$CONTEXT"
mkdir -p "$CONTEXT/libs"
cp -R "$IMAGE_SRC/." "$CONTEXT/"
if [ -n "${KAFKA_JARS_DIR:-}" ]; then
  [ -d "$KAFKA_JARS_DIR" ] || die "KAFKA_JARS_DIR=$KAFKA_JARS_DIR is not a folder"
  cp "$KAFKA_JARS_DIR"/*.jar "$CONTEXT/libs/" || die "no jars in $KAFKA_JARS_DIR"
else
  command -v mvn >/dev/null 2>&1 || apt_install maven
  mvn -q -B -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$CONTEXT/libs" >"$WORK_DIR/mvn.log" 2>&1 \
    || { tail -n 40 "$WORK_DIR/mvn.log" >&2; die "mvn dependency:copy-dependencies failed"; }
fi
[ -f "$CONTEXT/libs/kafka_2.13-$KAFKA_VERSION.jar" ] || die "kafka_2.13-$KAFKA_VERSION.jar missing from the jars"
log "$(find "$CONTEXT/libs" -name '*.jar' | wc -l) jars, $(du -sh "$CONTEXT/libs" | cut -f1)"

# ---------------------------------------------------------------- 4. Kafka image
log "step 4/4: docker build $KAFKA_IMAGE"
t0=$SECONDS
if ! docker build --build-arg "BASE_IMAGE=$BASE_IMAGE" --build-arg "KAFKA_VERSION=$KAFKA_VERSION" \
      -t "$KAFKA_IMAGE" "$CONTEXT" >"$WORK_DIR/docker-build.log" 2>&1; then
  tail -n 40 "$WORK_DIR/docker-build.log" >&2
  die "docker build failed"
fi
# earlier builds of this image left untagged: remove them (only images with our label)
docker image prune -f --filter "label=dev.kafka-offset-lab.kafka.version" >/dev/null 2>&1 || true
log "image $KAFKA_IMAGE ready in $((SECONDS - t0))s ($(docker image inspect -f '{{.Size}}' "$KAFKA_IMAGE" | awk '{ printf "%d MB", $1 / 1e6 }'))"

# ---------------------------------------------------------------- optional check
if [ -n "$CHECK" ]; then
  log "check: starting $KAFKA_IMAGE once ..."
  CHECK_CONTAINER="build-kafka-image-check-$$"
  docker run -d --name "$CHECK_CONTAINER" \
      -e KAFKA_NODE_ID=1 -e KAFKA_PROCESS_ROLES=broker,controller \
      -e KAFKA_LISTENERS=PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093 \
      -e KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://localhost:9092 \
      -e KAFKA_CONTROLLER_LISTENER_NAMES=CONTROLLER \
      -e KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT \
      -e KAFKA_CONTROLLER_QUORUM_VOTERS=1@localhost:9093 \
      -e KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=1 \
      "$KAFKA_IMAGE" >/dev/null || die "docker run failed"
  t0=$SECONDS
  until grep -q 'Kafka Server started' <<<"$(docker logs "$CHECK_CONTAINER" 2>&1)"; do
    if [ "$(docker inspect -f '{{.State.Running}}' "$CHECK_CONTAINER")" != "true" ]; then
      docker logs "$CHECK_CONTAINER" 2>&1 | tail -n 40 >&2
      die "check: the container stopped before Kafka started"
    fi
    if [ $((SECONDS - t0)) -ge 120 ]; then
      docker logs "$CHECK_CONTAINER" 2>&1 | tail -n 40 >&2
      die "check: Kafka did not start within 120s"
    fi
    sleep 0.5
  done
  log "check: Kafka started in $((SECONDS - t0))s"
  docker rm -f -v "$CHECK_CONTAINER" >/dev/null; CHECK_CONTAINER=""
fi

log "done: $KAFKA_IMAGE"
echo "$KAFKA_IMAGE"
