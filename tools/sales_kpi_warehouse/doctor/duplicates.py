"""Duplicated keys, classified as staging classifies them (macros/staging/deduplicate.sql):
exact copies and superseded versions lose nothing; different rows under one key and version
(duplicate_key) are rejected but for one."""

from __future__ import annotations

import duckdb

from .checks import EXAMPLES, Finding
from .contract import TableSpec, describe_kpis


def key_sql(table: TableSpec) -> str:
    parts = [
        f"upper(r.{name})" if table.column(name).type == "currency" else f"r.{name}"
        for name in table.key
    ]
    return parts[0] if len(parts) == 1 else f"concat_ws(' | ', {', '.join(parts)})"


def duplicate_findings(con: duckdb.DuckDBPyConnection, table: TableSpec) -> list[Finding]:
    if not table.key:
        return []
    names = [c.name for c in table.columns]
    version = "r.updated_at" if "updated_at" in names else "cast(null as varchar)"
    present = " and ".join(f"r.{k} is not null" for k in table.key)
    con.execute(
        f"create or replace temp table dup_groups as "
        f"with variants as ("
        f"  select {key_sql(table)} as k, {version} as u, "
        f"  hash({', '.join('r.' + n for n in names)}) as f, count(*) as n "
        f"  from raw_{table.name} as r where {present} group by all) "
        f"select *, max(u) over (partition by k) as latest, "
        f"count(*) over (partition by k, u) as same_version from variants "
        f"where k in (select k from variants group by k having sum(n) > 1)"
    )
    row = con.execute(
        "select coalesce(sum(n - 1), 0), count(*) filter (where u < latest), "
        "count(*) filter (where u is not distinct from latest and same_version > 1) "
        "- count(distinct k) filter (where u is not distinct from latest and same_version > 1) "
        "from dup_groups"
    ).fetchone()
    assert row is not None
    exact, superseded, conflicting = (int(v or 0) for v in row)
    found: list[Finding] = []
    key = ", ".join(table.key)
    if exact:
        found.append(
            Finding(table.name, key, "exact_duplicate", "info", exact,
                    f"rows are exact copies of another row (key {key})",
                    "one copy is staged, the others are counted in rejected_rows (nothing lost)",
                    "exact_duplicate")
        )  # fmt: skip
    if superseded:
        found.append(
            Finding(table.name, key, "superseded_version", "info", superseded,
                    f"rows are older versions (updated_at) of a key ({key})",
                    "the latest version is staged (nothing lost)", "superseded_version")
        )  # fmt: skip
    if conflicting:
        keys = con.execute(
            "select distinct k from dup_groups where u is not distinct from latest "
            f"and same_version > 1 order by k limit {EXAMPLES}"
        ).fetchall()
        found.append(
            Finding(table.name, key, "duplicate_key", "error", conflicting,
                    f"rows share a key ({key}) and updated_at with another row but differ",
                    "rejected (duplicate_key): the row with the smallest fingerprint is staged; "
                    f"{describe_kpis(table.kpis)} may count the wrong version",
                    "duplicate_key", tuple(repr(k) for (k,) in keys))
        )  # fmt: skip
    return found
