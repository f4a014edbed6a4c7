#!/usr/bin/env bash
# Make sure a Java runtime >= 17 is on PATH for pyspark (Spark 4 runs on Java 17/21).
# Does nothing when one is present; otherwise installs openjdk-17-jre-headless with apt-get.
set -euo pipefail

java_major() {
    command -v java >/dev/null 2>&1 || return 1
    java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}

major="$(java_major || true)"
if [ -n "$major" ] && [ "$major" -ge 17 ]; then
    exit 0
fi
echo "ensure-java: no Java >= 17 found (got: ${major:-none}); installing openjdk-17-jre-headless" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends openjdk-17-jre-headless
major="$(java_major || true)"
if [ -z "$major" ] || [ "$major" -lt 17 ]; then
    echo "ensure-java: Java 17 is still not on PATH after the install" >&2
    exit 1
fi
