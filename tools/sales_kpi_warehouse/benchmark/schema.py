"""The shape of ``results.json``: plain JSON types, so a previous file can be read back and merged.

Times are wall-clock seconds, memory is bytes. ``None`` means "not measured".
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

SCHEMA_VERSION = 1


class Measurement(TypedDict):
    """One process (and its children) run to completion."""

    wall_s: float
    #: The larger of the sampled peak (sum of RSS over the process tree, every ``interval``)
    #: and the largest per-process high-water mark (``VmHWM``) seen while sampling.
    peak_rss_bytes: int
    peak_rss_sampled_bytes: int
    max_process_rss_bytes: int
    samples: int
    exit_code: int
    log: str
    #: The machine's 1-minute load average when the command started (other work skews times).
    load_average_1m: float


class NodeTiming(TypedDict):
    """One node of dbt's ``run_results.json``."""

    unique_id: str
    resource_type: str
    status: str
    execution_time_s: float


class Phase(Measurement):
    """A timed dbt command."""

    command: str
    status_counts: dict[str, int]
    failed_nodes: list[str]
    nodes_execution_s: float
    slowest: list[NodeTiming]
    database_bytes: int | None
    #: Summed execution time of the staging nodes (base_crm__*, stg_crm__*, rejected_rows):
    #: the work the staging floor does. Missing in results from before it was recorded.
    staging_models_s: NotRequired[float]


class Floor(TypedDict):
    """A hand-written DuckDB SQL script (``floor.sql``, ``staging_floor.sql``), run ``repeats``
    times. ``result_rows``: the headline rows, or the staging floor's staged rows."""

    wall_s: float
    walls_s: list[float]
    sql_s: float
    peak_rss_bytes: int
    duckdb_peak_bytes: int | None
    result_rows: int
    exit_code: int
    log: str
    load_average_1m: float


class Generator(TypedDict):
    """How the cached Parquet export was made (``cached``: reused from an earlier run)."""

    options: dict[str, str | int | bool]
    cached: bool
    wall_s: float
    peak_rss_bytes: int
    generated_at: str


class TableInput(TypedDict):
    bytes: int
    rows: int


class Input(TypedDict):
    """The Parquet files dbt and the floor read (the whole export)."""

    bytes: int
    rows: int
    tables: dict[str, TableInput]


class Layout(TypedDict):
    """The export laid out by ``batches.hold_back`` (``held_back``: rows per event table)."""

    wall_s: float
    cached: bool
    share: float
    held_back_rows: dict[str, int]
    peak_rss_bytes: int


class Machine(TypedDict):
    cpu: str
    cores_logical: int
    cores_physical: int | None
    ram_bytes: int
    os: str
    python: str
    duckdb: str
    dbt_core: str
    dbt_duckdb: str


class SizeResult(TypedDict):
    """Everything measured for one size."""

    name: str
    deals: int
    measured_at: str
    machine: Machine
    settings: dict[str, str]
    input: Input
    generator: Generator
    layout: Layout
    phases: dict[str, Phase]
    floor: Floor
    #: ``staging_floor.sql``: staging's work (type, check, de-duplicate, write staged and
    #: rejected rows of every raw table) by hand. Missing in results from before it existed.
    staging_floor: NotRequired[Floor]
    ratios: dict[str, float | None]
    #: Phases kept from an earlier run of the same size, data and machine (phase → its
    #: run's measured_at): a run with other --commands adds to a size, it does not erase it.
    carried_over: NotRequired[dict[str, str]]
    #: Git commit of the project measured (``+changes`` if its tracked files were edited).
    project_version: NotRequired[str]


class Growth(TypedDict):
    """Time (and memory) growth exponents between two sizes: log(t2/t1) / log(n2/n1)."""

    from_size: str
    to_size: str
    exponents: dict[str, float | None]


class TargetCheck(TypedDict):
    """One target of issue 9 checked against the measurements."""

    key: str
    description: str
    limit: float
    applies_to: str
    measured_at: str | None
    value: float | None
    status: str
    note: str


class Results(TypedDict):
    schema_version: int
    generated_at: str
    command: str
    machine: Machine
    demo: Phase | None
    sizes: list[SizeResult]
    growth: list[Growth]
    targets: list[TargetCheck]
