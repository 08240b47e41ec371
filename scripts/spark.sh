#!/usr/bin/env bash
# A local Apache Spark for the `spark` dbt target: dbt-spark's session method runs Spark inside
# the dbt process (pyspark from requirements/lock.txt); Spark needs a Java runtime.
#
#   scripts/spark.sh setup   install a JDK from the Debian packages if `java` is missing
#   scripts/spark.sh env     print the `export` lines for the spark target (source them)
#   scripts/spark.sh clean   delete the local metastore and warehouse (.engines/spark)
#
# Everything Spark writes (the Derby metastore, derby.log, the parquet warehouse) goes under
# $SKW_SPARK_DIR instead of the working directory.
set -euo pipefail

PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SKW_SPARK_DIR="${SKW_SPARK_DIR:-$PROJECT_ROOT/.engines/spark}"

log() { echo "[spark.sh] $*" >&2; }

java_home() {
    local java
    java="$(command -v java || true)"
    [[ -n "$java" ]] && dirname "$(dirname "$(readlink -f "$java")")"
}

setup() {
    if [[ -z "$(java_home)" ]]; then
        [[ "$(id -u)" == 0 ]] || { log "no java: apt-get install openjdk-17-jre-headless"; exit 1; }
        log "installing a JDK from the Debian packages"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
    fi
    mkdir -p "$SKW_SPARK_DIR"
    log "java: $(java_home)"
}

env_lines() {
    cat <<ENV
export JAVA_HOME=${JAVA_HOME:-$(java_home)}
export SPARK_LOCAL_IP=127.0.0.1
export PYSPARK_PYTHON=${PYSPARK_PYTHON:-$PROJECT_ROOT/.venv/bin/python}
export DBT_SPARK_WAREHOUSE_DIR=$SKW_SPARK_DIR/warehouse
export DBT_SPARK_METASTORE_DIR=$SKW_SPARK_DIR
ENV
}

case "${1:-}" in
    setup) setup ;;
    env) env_lines ;;
    clean) rm -rf "$SKW_SPARK_DIR" ;;
    *) sed -n '2,11p' "$0"; exit 2 ;;
esac
