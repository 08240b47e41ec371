"""PostgreSQL operations: no dbt run waits forever on a lock, no BI session holds one forever, and
commands that build no mart work on a fresh database.

- The build role's sessions carry `lock_timeout`, `statement_timeout` and
  `idle_in_transaction_session_timeout`, the BI role's `idle_in_transaction_session_timeout`
  (`alter role ... set` in scripts/postgres.sh, or libpq's PGOPTIONS: docs/engines.md).
- A BI session idle in a transaction that holds a lock makes `drop table`, `alter table` and
  `dbt seed` fail within the lock timeout instead of hanging, and is itself ended after its idle
  timeout, which releases the lock.
- `dbt seed` alone into a fresh schema with DBT_BI_ROLE set succeeds: the on-run-end hook
  `grant_marts_usage` skips the marts schema that does not exist yet, and grants it when it does.

Runs against the server described by $DBT_PG_* and $DBT_BI_* (`source <(scripts/postgres.sh
env)`); skipped without them, unless SKW_ENGINES_REQUIRED=1: then a missing server fails. Every
schema it creates has a unique name and is dropped afterwards; the real marts are not touched.
Short timeouts are set per session (SET or PGOPTIONS) so that each test takes seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.errors
import pytest
from conftest import pg_connect

pytestmark = pytest.mark.engines

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REQUIRED = os.environ.get("SKW_ENGINES_REQUIRED") == "1"
DBT = Path(sys.executable).with_name("dbt")
# The seed the dbt tests load: small, in seeds/config/ (schema <DBT_PG_SCHEMA>_crm_config).
SEED = "map_deal_types"
SEED_LAYER = "crm_config"
LOCK_TIMEOUT_S = 1
IDLE_TIMEOUT_S = 8  # well after the two lock timeouts of the build session have passed
MARGIN_S = 3
DBT_TIMEOUT_S = 180  # a dbt run that blocks on a lock is killed here: the test fails, not hangs


def unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"SKW_ENGINES_REQUIRED=1 but {reason}")
    pytest.skip(reason)


@dataclass(frozen=True)
class Server:
    build_user: str
    build_password: str
    bi_role: str
    bi_password: str

    def connect(self, user: str, password: str, options: str | None = None) -> Any:
        connection = pg_connect(user, password, options)
        connection.autocommit = True
        return connection

    def build(self, options: str | None = None) -> Any:
        return self.connect(self.build_user, self.build_password, options)

    def bi(self) -> Any:
        return self.connect(self.bi_role, self.bi_password)


@pytest.fixture(scope="module")
def server() -> Server:
    names = ("DBT_PG_USER", "DBT_PG_PASSWORD", "DBT_BI_ROLE", "DBT_BI_PASSWORD")
    values = [os.environ.get(name, "") for name in names]
    if not all(values):
        unavailable(f"{'/'.join(names)} unset (source <(scripts/postgres.sh env))")
    found = Server(*values)
    try:
        found.build().close()
    except psycopg2.OperationalError as error:
        unavailable(f"PostgreSQL unreachable: {error}")
    return found


def drop_schemas(server: Server, prefix: str) -> None:
    """Drop the schema `prefix` and every `prefix_<layer>` schema dbt made from it."""
    with server.build() as connection, connection.cursor() as cursor:
        cursor.execute(
            "select nspname from pg_namespace where nspname = %s or nspname like %s",
            (prefix, prefix + "\\_%"),
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'drop schema "{name}" cascade')
    connection.close()


@pytest.fixture
def scratch_schema(server: Server) -> Iterator[str]:
    name = f"skw_ops_{uuid.uuid4().hex[:10]}"
    yield name
    drop_schemas(server, name)


def setting_ms(connection: Any, name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("select setting from pg_settings where name = %s", (name,))
        row = cursor.fetchone()
    assert row is not None, f"PostgreSQL has no setting {name}"
    return int(row[0])


def hold_lock_as_bi(
    server: Server, schema: str, table: str, idle_timeout_s: int = IDLE_TIMEOUT_S
) -> Any:
    """A BI session that reads the table in a transaction and stays idle in it: it keeps an
    access share lock, which conflicts with drop, alter and truncate."""
    with server.build() as owner, owner.cursor() as cursor:
        cursor.execute(f'grant usage on schema "{schema}" to "{server.bi_role}"')
        cursor.execute(f'grant select on "{schema}"."{table}" to "{server.bi_role}"')
    owner.close()
    session = server.bi()
    with session.cursor() as cursor:
        cursor.execute(f"set idle_in_transaction_session_timeout = '{idle_timeout_s}s'")
        cursor.execute("begin")
        cursor.execute(f'select count(*) from "{schema}"."{table}"')
    return session


def backend_alive(connection: Any, pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("select 1 from pg_stat_activity where pid = %s", (pid,))
        return cursor.fetchone() is not None


# ---- role timeouts ---------------------------------------------------------------------------


def test_build_role_sessions_have_lock_statement_and_idle_timeouts(server: Server) -> None:
    with server.build() as connection:
        for name in ("lock_timeout", "statement_timeout", "idle_in_transaction_session_timeout"):
            assert setting_ms(connection, name) > 0, (
                f"{server.build_user} sessions have no {name}: a dbt run can wait forever. "
                "Run scripts/postgres.sh start (alter role ... set) or export PGOPTIONS "
                "(docs/engines.md, Timeouts)"
            )
    connection.close()


def test_bi_role_sessions_end_when_idle_in_a_transaction(server: Server) -> None:
    with server.bi() as connection:
        assert setting_ms(connection, "idle_in_transaction_session_timeout") > 0, (
            f"{server.bi_role} sessions have no idle_in_transaction_session_timeout: a forgotten "
            "BI transaction holds its locks forever. Run scripts/postgres.sh start "
            "(docs/engines.md, Timeouts)"
        )
    connection.close()


def test_pgoptions_sets_the_timeouts_of_a_psycopg2_session(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The way to the timeouts on a server where `alter role` is not ours: libpq reads PGOPTIONS,
    and dbt-postgres connects through psycopg2 (libpq)."""
    monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=1234ms -c statement_timeout=4321s")
    with server.build() as connection:
        assert setting_ms(connection, "lock_timeout") == 1234
        assert setting_ms(connection, "statement_timeout") == 4321 * 1000
    connection.close()


# ---- a BI session holding a lock ---------------------------------------------------------------


def test_a_lock_held_by_an_idle_bi_session_fails_ddl_fast_and_the_session_ends(
    server: Server, scratch_schema: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with server.build() as owner, owner.cursor() as cursor:
        cursor.execute(f'create schema "{scratch_schema}"')
        cursor.execute(f'create table "{scratch_schema}".locked (id integer)')
    owner.close()
    bi_session = hold_lock_as_bi(server, scratch_schema, "locked")
    bi_pid = bi_session.get_backend_pid()
    idle_since = time.monotonic()

    # The documented route for a server of one's own: PGOPTIONS, read by libpq at connect time.
    monkeypatch.setenv("PGOPTIONS", f"-c lock_timeout={LOCK_TIMEOUT_S}s")
    build = server.build()
    for ddl in (
        f'drop table "{scratch_schema}".locked',
        f'alter table "{scratch_schema}".locked add column extra integer',
    ):
        started = time.monotonic()
        with pytest.raises(psycopg2.errors.LockNotAvailable), build.cursor() as cursor:
            cursor.execute(ddl)
        elapsed = time.monotonic() - started
        assert elapsed < LOCK_TIMEOUT_S + MARGIN_S, f"{ddl} waited {elapsed:.1f} s for the lock"
    assert time.monotonic() - idle_since < IDLE_TIMEOUT_S, "the test ran too slowly to judge"
    assert backend_alive(build, bi_pid), "the BI session ended before its idle timeout"

    deadline = idle_since + IDLE_TIMEOUT_S + MARGIN_S
    while backend_alive(build, bi_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not backend_alive(build, bi_pid), (
        f"the BI session idle in a transaction still runs {IDLE_TIMEOUT_S + MARGIN_S} s later"
    )
    with pytest.raises(psycopg2.OperationalError), bi_session.cursor() as cursor:
        cursor.execute("select 1")
    bi_session.close()

    # Its lock went with it: the same drop now succeeds within the lock timeout.
    with build.cursor() as cursor:
        cursor.execute(f'drop table "{scratch_schema}".locked')
    build.close()


# ---- dbt on a fresh schema ---------------------------------------------------------------------


@dataclass(frozen=True)
class DbtRun:
    returncode: int
    output: str
    seconds: float


def run_dbt(
    server: Server, schema: str, work: Path, *args: str, pgoptions: str | None = None
) -> DbtRun:
    env = {
        **os.environ,
        "DBT_TARGET": "postgres",
        "DBT_PG_SCHEMA": schema,
        "DBT_BI_ROLE": server.bi_role,
        "DBT_PROFILES_DIR": str(PROJECT_ROOT / "profiles"),
    }
    env.pop("PGOPTIONS", None)
    if pgoptions:
        env["PGOPTIONS"] = pgoptions
    command = [
        str(DBT),
        *args,
        "--project-dir",
        str(PROJECT_ROOT),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
        "--no-use-colors",
    ]
    started = time.monotonic()
    completed = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=DBT_TIMEOUT_S,
        check=False,
    )
    return DbtRun(
        completed.returncode, completed.stdout + completed.stderr, time.monotonic() - started
    )


def schema_exists(server: Server, name: str) -> bool:
    with server.build() as connection, connection.cursor() as cursor:
        cursor.execute("select 1 from pg_namespace where nspname = %s", (name,))
        found = cursor.fetchone() is not None
    connection.close()
    return found


@dataclass(frozen=True)
class SeededSchema:
    name: str
    first_run: DbtRun
    marts_existed: bool


@pytest.fixture(scope="module")
def seeded(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeededSchema]:
    """`dbt seed --select map_deal_types` alone into a fresh schema, DBT_BI_ROLE set."""
    name = f"skw_ops_{uuid.uuid4().hex[:10]}"
    try:
        first = run_dbt(server, name, tmp_path_factory.mktemp("seed"), "seed", "--select", SEED)
        yield SeededSchema(name, first, schema_exists(server, f"{name}_marts"))
    finally:
        drop_schemas(server, name)


def test_seed_alone_succeeds_on_a_fresh_schema_with_a_bi_role(
    server: Server, seeded: SeededSchema
) -> None:
    assert seeded.first_run.returncode == 0, seeded.first_run.output[-3000:]
    assert not seeded.marts_existed, "dbt seed made the marts schema: the test proves nothing"
    with server.build() as connection, connection.cursor() as cursor:
        cursor.execute(f'select count(*) from "{seeded.name}_{SEED_LAYER}"."{SEED}"')
        row = cursor.fetchone()
    connection.close()
    assert row is not None and row[0] > 0, f"{SEED} was not loaded"


def test_marts_usage_is_granted_once_the_schema_exists(
    server: Server, seeded: SeededSchema, tmp_path: Path
) -> None:
    marts = f"{seeded.name}_marts"
    with server.build() as connection, connection.cursor() as cursor:
        cursor.execute(f'create schema "{marts}"')
    connection.close()
    run = run_dbt(server, seeded.name, tmp_path, "seed", "--select", SEED)
    assert run.returncode == 0, run.output[-3000:]
    with server.bi() as connection, connection.cursor() as cursor:
        cursor.execute("select has_schema_privilege(%s, 'usage')", (marts,))
        row = cursor.fetchone()
    connection.close()
    assert row == (True,), f"{server.bi_role} got no usage on {marts}"


def test_dbt_fails_on_a_bi_lock_within_the_lock_timeout(
    server: Server, seeded: SeededSchema, tmp_path: Path
) -> None:
    """A second `dbt seed` truncates the table: blocked by the BI session, it fails with a lock
    timeout (PGOPTIONS read by dbt-postgres' psycopg2) instead of hanging until DBT_TIMEOUT_S."""
    # The BI session must outlive dbt's start (parsing takes ≈10 s) to be in its way.
    bi_session = hold_lock_as_bi(
        server, f"{seeded.name}_{SEED_LAYER}", SEED, idle_timeout_s=DBT_TIMEOUT_S
    )
    try:
        run = run_dbt(
            server,
            seeded.name,
            tmp_path,
            "seed",
            "--select",
            SEED,
            pgoptions=f"-c lock_timeout={LOCK_TIMEOUT_S}s",
        )
    finally:
        bi_session.close()
    assert run.returncode != 0, "dbt seed truncated a table a BI session holds a lock on"
    assert "lock timeout" in run.output, run.output[-3000:]
