"""Lay a CRM export out as batches, so an incremental dbt run has something to append.

``hold_back(export, layout, share)`` copies an export into the folder layout the project's
``files`` input mode reads (``macros/inputs/register_raw_files.sql``): small tables as
``<table>.<fmt>`` (symlinks, no copy), each append-mostly event table as a folder
``<table>/batch-0000.<fmt>`` holding every row except the latest ``share`` of them by event
time, which is written to ``_pending/<table>/batch-0001.<fmt>``. ``deliver_pending(layout)``
moves those files into the table folders: the next ``dbt build`` sees ≈``share`` new rows, as
if the next day's export had arrived.

Rows whose event time does not parse stay in the first batch (staging rejects them anyway).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb

FileFormat = Literal["csv", "parquet"]

# The append-mostly tables the incremental models read, and their event-time column.
EVENT_TABLES: dict[str, str] = {
    "activities": "started_at",
    "email_events": "occurred_at",
    "deal_stage_history": "entered_at",
}
PENDING = "_pending"


@dataclass(frozen=True)
class HeldBack:
    """Rows of one event table: in the first batch, and held back for the next."""

    table: str
    kept_rows: int
    held_back_rows: int
    cutoff: str


def _reader(path: Path, fmt: FileFormat) -> str:
    if fmt == "parquet":
        return f"read_parquet('{path}')"
    return f"read_csv('{path}', header = true, all_varchar = true)"


def _writer_options(fmt: FileFormat) -> str:
    return "(format parquet, compression zstd)" if fmt == "parquet" else "(format csv, header)"


def _split_table(
    con: duckdb.DuckDBPyConnection, source: Path, layout: Path, fmt: FileFormat, share: float
) -> HeldBack:
    table = source.stem
    column = EVENT_TABLES[table]
    event_time = f"try_cast({column} as timestamp)"
    rows = _reader(source, fmt)
    ((cutoff_value,),) = con.sql(
        f"select quantile_disc({event_time}, {1 - share}) from {rows}"
    ).fetchall()
    if cutoff_value is None:
        msg = f"{source}: no parsable {column} values, so nothing can be held back."
        raise ValueError(msg)
    cutoff = str(cutoff_value)
    late = f"{event_time} >= timestamp '{cutoff}'"
    for folder, batch, condition in (
        (layout / table, "batch-0000", f"not coalesce({late}, false)"),
        (layout / PENDING / table, "batch-0001", f"coalesce({late}, false)"),
    ):
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{batch}.{fmt}"
        con.sql(
            f"copy (select * from {rows} where {condition}) to '{target}' {_writer_options(fmt)}"
        )
    ((kept, held),) = con.sql(
        f"select count(*) filter (where not coalesce({late}, false)), "
        f"count(*) filter (where coalesce({late}, false)) from {rows}"
    ).fetchall()
    return HeldBack(table, int(kept), int(held), cutoff)


def hold_back(
    export: Path, layout: Path, share: float = 0.01, fmt: FileFormat = "parquet"
) -> list[HeldBack]:
    """Write ``export`` into ``layout`` with the latest ``share`` of each event table held back."""
    if not 0 < share < 1:
        msg = f"share must be between 0 and 1 (exclusive), got {share}."
        raise ValueError(msg)
    if layout.exists():
        shutil.rmtree(layout)
    layout.mkdir(parents=True)
    held: list[HeldBack] = []
    with duckdb.connect() as con:
        for source in sorted(export.glob(f"*.{fmt}")):
            table = source.stem
            if table in EVENT_TABLES:
                held.append(_split_table(con, source, layout, fmt, share))
            else:
                (layout / source.name).symlink_to(source.resolve())
    missing = set(EVENT_TABLES) - {h.table for h in held}
    if missing:
        msg = f"{export} has no {fmt} file for {', '.join(sorted(missing))}; is --format right?"
        raise FileNotFoundError(msg)
    return held


def deliver_pending(layout: Path) -> list[Path]:
    """Move the held-back batch files into their table folders; return the new paths."""
    pending = layout / PENDING
    if not pending.is_dir():
        msg = f"{layout} has no {PENDING}/ folder: run hold_back() first."
        raise FileNotFoundError(msg)
    delivered: list[Path] = []
    for batch in sorted(pending.glob("*/*")):
        target = layout / batch.parent.name / batch.name
        batch.rename(target)
        delivered.append(target)
    shutil.rmtree(pending)
    return delivered
