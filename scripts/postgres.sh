#!/usr/bin/env bash
# A throw-away PostgreSQL server for the `postgres` dbt target (CI and local runs).
#
#   scripts/postgres.sh start   install the server from Debian packages if missing, create a
#                               cluster under $SKW_PG_DIR, start it on 127.0.0.1:$DBT_PG_PORT,
#                               create the database, the build role and the read-only BI role
#   scripts/postgres.sh fresh   start, then drop and recreate the database (a clean build)
#   scripts/postgres.sh env     print the `export` lines the dbt profile needs (source them)
#   scripts/postgres.sh status  is it running?
#   scripts/postgres.sh stop    stop the server (the data dir stays; `clean` removes it)
#   scripts/postgres.sh clean   stop and delete the cluster
#
# Roles (least privilege): $DBT_PG_USER may connect and create schemas in $DBT_PG_DBNAME and
# nothing else (no superuser, no createdb/createrole); $DBT_BI_ROLE may connect and gets
# `select` on the marts only, through dbt `grants` (dbt_project.yml). Passwords come from the
# environment; when unset they are generated once and kept in $SKW_PG_DIR/credentials.env (0600),
# never in the repository. PostgreSQL refuses to run as root: the server runs as the `postgres`
# OS user (created by the Debian package).
#
# Timeouts (set on the roles with `alter role ... set`, so every session gets them, whatever the
# client; re-applied at every start; a value is a PostgreSQL duration such as 60s, 30min, 0 = off):
#   SKW_PG_LOCK_TIMEOUT (60s), SKW_PG_STATEMENT_TIMEOUT (30min),
#   SKW_PG_IDLE_IN_TRANSACTION_TIMEOUT (10min)      the build role: a lock held by someone else
#                                                   fails the statement instead of a hang
#   SKW_PG_BI_IDLE_IN_TRANSACTION_TIMEOUT (5min)    the BI role: a forgotten open transaction is
#                                                   ended, and with it the locks it holds
set -euo pipefail

PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The cluster lives in the project's .engines/ (git-ignored) when the postgres OS user can reach
# it, else (e.g. a clone under /root) in /tmp.
default_pg_dir() {
    if [[ "$(id -u)" == 0 ]] && id postgres >/dev/null 2>&1 \
        && ! runuser -u postgres -- test -x "$PROJECT_ROOT" 2>/dev/null; then
        echo "/tmp/sales_kpi_warehouse_postgres"
    else
        echo "$PROJECT_ROOT/.engines/postgres"
    fi
}
[[ -n "${SKW_PG_DIR:-}" ]] && SKW_PG_DIR_FIXED=1
SKW_PG_DIR="${SKW_PG_DIR:-$(default_pg_dir)}"
DATA_DIR="$SKW_PG_DIR/data"
RUN_DIR="$SKW_PG_DIR/run"
LOG_FILE="$SKW_PG_DIR/server.log"
CREDENTIALS="$SKW_PG_DIR/credentials.env"
export DBT_PG_HOST="${DBT_PG_HOST:-127.0.0.1}"
export DBT_PG_PORT="${DBT_PG_PORT:-55432}"
export DBT_PG_DBNAME="${DBT_PG_DBNAME:-sales_kpi_warehouse}"
export DBT_PG_USER="${DBT_PG_USER:-skw_build}"
export DBT_BI_ROLE="${DBT_BI_ROLE:-skw_bi}"
SKW_PG_LOCK_TIMEOUT="${SKW_PG_LOCK_TIMEOUT:-60s}"
SKW_PG_STATEMENT_TIMEOUT="${SKW_PG_STATEMENT_TIMEOUT:-30min}"
SKW_PG_IDLE_IN_TRANSACTION_TIMEOUT="${SKW_PG_IDLE_IN_TRANSACTION_TIMEOUT:-10min}"
SKW_PG_BI_IDLE_IN_TRANSACTION_TIMEOUT="${SKW_PG_BI_IDLE_IN_TRANSACTION_TIMEOUT:-5min}"

log() { echo "[postgres.sh] $*" >&2; }

pg_bindir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [[ -n "$dir" && -x "$dir/pg_ctl" ]] && echo "$dir"
}

install_server() {
    if [[ -n "$(pg_bindir)" ]]; then
        return
    fi
    [[ "$(id -u)" == 0 ]] || { log "PostgreSQL is not installed and this is not root: apt-get install postgresql"; exit 1; }
    log "installing PostgreSQL from the Debian packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    # The package starts a cluster of its own on port 5432; we do not use it.
    if command -v pg_ctlcluster >/dev/null; then
        for cluster in /etc/postgresql/*/main; do
            [[ -d "$cluster" ]] && pg_ctlcluster "$(basename "$(dirname "$cluster")")" main stop 2>/dev/null || true
        done
    fi
}

as_postgres() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

load_credentials() {
    mkdir -p "$SKW_PG_DIR"
    # Passwords: the environment wins; otherwise the ones generated at first start.
    if [[ -f "$CREDENTIALS" ]]; then
        local saved_build saved_bi
        saved_build="$(sed -n 's/^export DBT_PG_PASSWORD=//p' "$CREDENTIALS")"
        saved_bi="$(sed -n 's/^export DBT_BI_PASSWORD=//p' "$CREDENTIALS")"
        export DBT_PG_PASSWORD="${DBT_PG_PASSWORD:-$saved_build}"
        export DBT_BI_PASSWORD="${DBT_BI_PASSWORD:-$saved_bi}"
    fi
    export DBT_PG_PASSWORD="${DBT_PG_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}"
    export DBT_BI_PASSWORD="${DBT_BI_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}"
    umask 077
    cat >"$CREDENTIALS" <<CREDS
export DBT_PG_HOST=$DBT_PG_HOST
export DBT_PG_PORT=$DBT_PG_PORT
export DBT_PG_DBNAME=$DBT_PG_DBNAME
export DBT_PG_USER=$DBT_PG_USER
export DBT_PG_PASSWORD=$DBT_PG_PASSWORD
export DBT_BI_ROLE=$DBT_BI_ROLE
export DBT_BI_PASSWORD=$DBT_BI_PASSWORD
CREDS
}

psql_admin() {
    as_postgres "$BIN/psql" --quiet --no-psqlrc -v ON_ERROR_STOP=1 -h "$RUN_DIR" -p "$DBT_PG_PORT" "$@"
}

is_running() {
    [[ -n "${BIN:-}" ]] && [[ -f "$DATA_DIR/postmaster.pid" ]] \
        && as_postgres "$BIN/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1
}

start() {
    install_server
    if [[ -z "${SKW_PG_DIR_FIXED:-}" ]]; then
        # the postgres OS user may only exist now
        SKW_PG_DIR="$(default_pg_dir)"; DATA_DIR="$SKW_PG_DIR/data"; RUN_DIR="$SKW_PG_DIR/run"
        LOG_FILE="$SKW_PG_DIR/server.log"; CREDENTIALS="$SKW_PG_DIR/credentials.env"
    fi
    BIN="$(pg_bindir)"
    mkdir -p "$SKW_PG_DIR"
    # The postgres OS user must reach the data dir: every parent needs o+x.
    chown postgres: "$SKW_PG_DIR" 2>/dev/null || true
    chmod 0755 "$SKW_PG_DIR"
    load_credentials
    if [[ ! -f "$DATA_DIR/PG_VERSION" ]]; then
        log "initdb $DATA_DIR"
        as_postgres mkdir -p "$DATA_DIR" "$RUN_DIR"
        as_postgres "$BIN/initdb" -D "$DATA_DIR" -U postgres --auth-local=peer \
            --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_postgres mkdir -p "$RUN_DIR"
    if is_running; then
        log "already running on $DBT_PG_HOST:$DBT_PG_PORT"
    else
        log "starting on $DBT_PG_HOST:$DBT_PG_PORT"
        as_postgres "$BIN/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 \
            -o "-c listen_addresses=$DBT_PG_HOST -p $DBT_PG_PORT -c unix_socket_directories=$RUN_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=30 -c timezone=UTC" \
            start >/dev/null
    fi
    provision
    log "ready: database $DBT_PG_DBNAME, build role $DBT_PG_USER, BI role $DBT_BI_ROLE"
}

# A timeout goes into SQL: a number with an optional PostgreSQL time unit, nothing else.
check_duration() {
    local name="$1" value="$2"
    if [[ ! "$value" =~ ^[0-9]+(us|ms|s|min|h|d)?$ ]]; then
        log "$name=$value is not a duration: write a number with an optional unit (ms, s, min, h, d), e.g. 60s or 30min; 0 turns the timeout off"
        exit 2
    fi
}

provision() {
    # Idempotent: roles and database are created once; passwords and timeouts are (re)set every
    # start (they apply to sessions opened afterwards).
    check_duration SKW_PG_LOCK_TIMEOUT "$SKW_PG_LOCK_TIMEOUT"
    check_duration SKW_PG_STATEMENT_TIMEOUT "$SKW_PG_STATEMENT_TIMEOUT"
    check_duration SKW_PG_IDLE_IN_TRANSACTION_TIMEOUT "$SKW_PG_IDLE_IN_TRANSACTION_TIMEOUT"
    check_duration SKW_PG_BI_IDLE_IN_TRANSACTION_TIMEOUT "$SKW_PG_BI_IDLE_IN_TRANSACTION_TIMEOUT"
    psql_admin -d postgres <<SQL
do \$\$
begin
    if not exists (select from pg_roles where rolname = '$DBT_PG_USER') then
        create role "$DBT_PG_USER" login nosuperuser nocreatedb nocreaterole noinherit;
    end if;
    if not exists (select from pg_roles where rolname = '$DBT_BI_ROLE') then
        create role "$DBT_BI_ROLE" login nosuperuser nocreatedb nocreaterole noinherit;
    end if;
end
\$\$;
alter role "$DBT_PG_USER" password '$DBT_PG_PASSWORD';
alter role "$DBT_BI_ROLE" password '$DBT_BI_PASSWORD';
-- No session waits forever (docs/engines.md, "Timeouts"): dbt fails on a lock a BI session holds
-- instead of blocking, and a BI session left idle in a transaction is ended with its locks.
-- A client may still override them for its session (PGOPTIONS or SET).
alter role "$DBT_PG_USER" set lock_timeout = '$SKW_PG_LOCK_TIMEOUT';
alter role "$DBT_PG_USER" set statement_timeout = '$SKW_PG_STATEMENT_TIMEOUT';
alter role "$DBT_PG_USER" set idle_in_transaction_session_timeout = '$SKW_PG_IDLE_IN_TRANSACTION_TIMEOUT';
alter role "$DBT_BI_ROLE" set idle_in_transaction_session_timeout = '$SKW_PG_BI_IDLE_IN_TRANSACTION_TIMEOUT';
-- No JIT for the build role: the staging models' wide row-check expressions cost PostgreSQL
-- minutes of JIT compilation once a plan's estimate passes jit_above_cost (base_crm__deals over
-- the connector views: 120-180 s for 10 rows with JIT, 1 s without; docs/engines.md).
alter role "$DBT_PG_USER" set jit = off;
select 'create database "$DBT_PG_DBNAME"'
where not exists (select from pg_database where datname = '$DBT_PG_DBNAME') \gexec
-- Nobody but the two roles may connect; nobody gets temporary tables by default.
revoke all on database "$DBT_PG_DBNAME" from public;
grant connect, create, temporary on database "$DBT_PG_DBNAME" to "$DBT_PG_USER";
grant connect on database "$DBT_PG_DBNAME" to "$DBT_BI_ROLE";
SQL
    psql_admin -d "$DBT_PG_DBNAME" <<SQL
-- PostgreSQL 15 already denies create on schema public to public; say it anyway.
revoke create on schema public from public;
SQL
}

stop() {
    BIN="$(pg_bindir || true)"
    if is_running; then
        log "stopping"
        as_postgres "$BIN/pg_ctl" -D "$DATA_DIR" -m fast -w stop >/dev/null
    else
        log "not running"
    fi
}

case "${1:-}" in
    start) start ;;
    fresh)
        start
        log "recreating database $DBT_PG_DBNAME"
        psql_admin -d postgres -c "drop database if exists \"$DBT_PG_DBNAME\" with (force)"
        provision
        ;;
    stop) stop ;;
    clean) stop; rm -rf "$SKW_PG_DIR" ;;
    status) BIN="$(pg_bindir || true)"; if is_running; then echo running; else echo stopped; exit 3; fi ;;
    env) load_credentials >/dev/null; cat "$CREDENTIALS" ;;
    *) sed -n '2,26p' "$0"; exit 2 ;;
esac
