"""The benchmark's inputs: a cached Parquet export per size, laid out with 1 % held back.

``<cache>/data/<size>/export/`` holds the generator's output and ``bench-export.json`` (the
generator options and how long/how much memory it took). It is reused while the options
match. ``<cache>/data/<size>/layout/`` is that export laid out by ``batches.hold_back``; after
a benchmark delivered the held-back batches, :func:`ensure_layout` moves them back to
``_pending/`` instead of laying the export out again.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq  # type: ignore[import-untyped]

from ..batches import PENDING
from ..generator.config import DEFAULT_CHUNK_DEALS, DEFAULT_SEED, GENERATOR_VERSION
from .measure import run_measured
from .schema import Generator, Input, Layout, TableInput
from .sizes import Size

EXPORT_META = "bench-export.json"
LAYOUT_META = "bench-layout.json"


def generator_options(size: Size, seed: int = DEFAULT_SEED) -> dict[str, str | int | bool]:
    """The generator options that decide the export's bytes (the cache key)."""
    return {
        "deals": size.deals,
        "seed": seed,
        "chunk_deals": DEFAULT_CHUNK_DEALS,
        "format": "parquet",
        "defects": True,
        "generator_version": GENERATOR_VERSION,
    }


def _read_json(path: Path) -> dict[str, object] | None:
    try:
        loaded: object = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def _generate(
    size: Size, options: dict[str, str | int | bool], export: Path, project_dir: Path
) -> Generator:
    partial = export.with_name(export.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "sales_kpi_warehouse.generator",
        *("--deals", str(size.deals), "--seed", str(options["seed"])),
        *("--chunk-deals", str(options["chunk_deals"]), "--format", "parquet"),
        *("--out", str(partial), "--quiet"),
    ]
    env = {**os.environ, "PYTHONPATH": str(project_dir / "tools")}
    log = export.parent / "generator.log"
    measured = run_measured(command, log_path=log, env=env, cwd=project_dir)
    if measured["exit_code"] != 0:
        code = measured["exit_code"]
        msg = f"the generator failed for size {size.name} (exit {code}); see {log}."
        raise RuntimeError(msg)
    shutil.rmtree(export, ignore_errors=True)
    partial.rename(export)
    return Generator(
        options=options,
        cached=False,
        wall_s=measured["wall_s"],
        peak_rss_bytes=measured["peak_rss_bytes"],
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def _cached_generator(
    meta: dict[str, object] | None, options: dict[str, str | int | bool]
) -> Generator | None:
    """The recorded generator run, if ``meta`` is one for exactly these options."""
    if meta is None or meta.get("options") != options:
        return None
    wall, peak, when = meta.get("wall_s"), meta.get("peak_rss_bytes"), meta.get("generated_at")
    if not isinstance(wall, int | float) or not isinstance(peak, int) or not isinstance(when, str):
        return None
    return Generator(
        options=options, cached=True, wall_s=float(wall), peak_rss_bytes=peak, generated_at=when
    )


def ensure_export(
    size: Size, cache_dir: Path, project_dir: Path, seed: int
) -> tuple[Path, Generator]:
    """The export folder of ``size``, generating it unless a matching one is cached."""
    export = cache_dir / "data" / size.name / "export"
    options = generator_options(size, seed)
    meta = _read_json(export / EXPORT_META)
    cached = _cached_generator(meta, options)
    if cached is not None and any(export.glob("*.parquet")):
        return export, cached
    export.parent.mkdir(parents=True, exist_ok=True)
    generated = _generate(size, options, export, project_dir)
    (export / EXPORT_META).write_text(json.dumps(generated, indent=2), encoding="utf-8")
    return export, generated


def input_stats(export: Path) -> Input:
    """Bytes and rows of every Parquet file of the export."""
    tables: dict[str, TableInput] = {}
    for path in sorted(export.glob("*.parquet")):
        rows = int(pq.read_metadata(path).num_rows)
        tables[path.stem] = TableInput(bytes=path.stat().st_size, rows=rows)
    return Input(
        bytes=sum(table["bytes"] for table in tables.values()),
        rows=sum(table["rows"] for table in tables.values()),
        tables=tables,
    )


def _restore_pending(layout: Path, pending: list[str]) -> bool:
    """Move delivered batches back to ``_pending/``; False if the layout is not as recorded."""
    for relative in pending:
        held, delivered = layout / PENDING / relative, layout / relative
        if held.is_file():
            continue
        if not delivered.is_file():
            return False
        held.parent.mkdir(parents=True, exist_ok=True)
        delivered.rename(held)
    return True


#: Runs ``batches.hold_back`` in a child process: its DuckDB memory and progress bar stay there.
HOLD_BACK_SCRIPT = """\
import json, sys
from pathlib import Path
from sales_kpi_warehouse.batches import hold_back
held = hold_back(Path(sys.argv[1]), Path(sys.argv[2]), share=float(sys.argv[3]), fmt="parquet")
print("HELD_BACK " + json.dumps({item.table: item.held_back_rows for item in held}))
"""


def _hold_back(export: Path, layout: Path, share: float, project_dir: Path) -> Layout:
    command = [sys.executable, "-c", HOLD_BACK_SCRIPT, str(export), str(layout), str(share)]
    env = {**os.environ, "PYTHONPATH": str(project_dir / "tools")}
    log = export.parent / "layout.log"
    measured = run_measured(command, log_path=log, env=env, cwd=project_dir)
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    result = next((line for line in reversed(lines) if line.startswith("HELD_BACK ")), None)
    if measured["exit_code"] != 0 or result is None:
        msg = f"laying out {export} failed (exit {measured['exit_code']}); see {log}."
        raise RuntimeError(msg)
    rows: dict[str, int] = json.loads(result.removeprefix("HELD_BACK "))
    return Layout(
        wall_s=measured["wall_s"],
        cached=False,
        share=share,
        held_back_rows=rows,
        peak_rss_bytes=measured["peak_rss_bytes"],
    )


def ensure_layout(
    export: Path, generator: Generator, share: float, project_dir: Path
) -> tuple[Path, Layout]:
    """The export laid out with the latest ``share`` of each event table held back."""
    layout = export.parent / "layout"
    key = {"generated_at": generator["generated_at"], "share": share}
    meta = _read_json(layout / LAYOUT_META)
    pending = meta.get("pending") if meta is not None and meta.get("key") == key else None
    held = meta.get("held_back_rows") if meta is not None else None
    if (
        isinstance(pending, list)
        and isinstance(held, dict)
        and _restore_pending(layout, [str(item) for item in pending])
    ):
        rows = {str(table): int(count) for table, count in held.items()}
        cached = Layout(wall_s=0.0, cached=True, share=share, held_back_rows=rows, peak_rss_bytes=0)
        return layout, cached
    laid_out = _hold_back(export, layout, share, project_dir)
    pending_files = sorted(
        str(path.relative_to(layout / PENDING)) for path in (layout / PENDING).glob("*/*")
    )
    meta_out = {"key": key, "pending": pending_files, "held_back_rows": laid_out["held_back_rows"]}
    (layout / LAYOUT_META).write_text(json.dumps(meta_out, indent=2), encoding="utf-8")
    return layout, laid_out
