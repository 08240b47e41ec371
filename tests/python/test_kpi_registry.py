"""The KPI registry (seeds/config/kpi_catalogue.csv, published as dim_kpi) is the one place a
KPI is defined, and everything generated from it is current:

- the generator in check mode finds no stale file (docs/kpis.md's KPI table, the doc-block
  headings, the KPI column meta of the marts, the KPI metrics' labels and meta);
- every KPI's id is the name of its value column, but for the few the registry says why
  (`id_differs_reason`);
- in the parsed manifest, every KPI's mart and its value, numerator and denominator columns
  exist; every KPI with a mart names an existing MetricFlow metric or says why it has none (not
  both); KPI meta written by hand on other marts' columns names registry KPIs and valid roles;
- each check fails when the registry or a generated file is broken (tests on copies).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT_ROOT
from parsed_project import Marts, mart_columns, parse_project

from sales_kpi_warehouse.registry import COMMAND, REGISTRY, Kpi, load_kpis, stale, write

KPI_ROLES = frozenset({"value", "numerator", "denominator"})
GENERATED = (REGISTRY, Path("docs") / "kpis.md", Path("models") / "marts")


@dataclasses.dataclass(frozen=True)
class Parsed:
    marts: Marts
    metrics: frozenset[str]


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> Parsed:
    manifest = parse_project(tmp_path_factory.getbasetemp() / "parsed_project")
    metrics = frozenset(metric.name for metric in manifest.metrics.values())
    return Parsed(mart_columns(manifest), metrics)


def stale_report(root: Path) -> str:
    diffs = stale(root)
    shown = "".join(diff[:3000] for diff in diffs.values())
    return (
        f"stale: {sorted(map(str, diffs))}; regenerate with `{COMMAND}`\n{shown}" if diffs else ""
    )


def column_problems(kpis: list[Kpi], marts: Marts) -> list[str]:
    """Registry columns that are not in their mart."""
    found = []
    for kpi in kpis:
        if not kpi.mart:
            continue
        columns = marts.columns(kpi.mart)
        if not columns:
            found.append(f"{kpi.kpi_id}: mart {kpi.mart} is not a mart model")
        found += [
            f"{kpi.kpi_id}: {kpi.mart} has no {role} column {column}"
            for role, column in kpi.parts()
            if columns and column not in columns
        ]
    return found


def id_problems(kpis: list[Kpi]) -> list[str]:
    """KPIs whose id is not their value column's name and the registry does not say why, and
    reasons kept for ids that no longer differ."""
    found = []
    for kpi in kpis:
        differs = bool(kpi.value_column) and kpi.kpi_id != kpi.value_column
        if differs and not kpi.id_differs_reason:
            found.append(
                f"{kpi.kpi_id}: differs from its value column {kpi.value_column} (rename the "
                "kpi_id to the column, or say why not in id_differs_reason)"
            )
        elif kpi.id_differs_reason and not differs:
            found.append(f"{kpi.kpi_id}: id_differs_reason set but the id is the column (drop it)")
    return found


def metric_problems(kpis: list[Kpi], metrics: frozenset[str]) -> list[str]:
    """KPIs with a mart and neither a metric nor a reason, or both, or an unknown metric."""
    found = []
    for kpi in kpis:
        if kpi.metric and kpi.metric_exclusion_reason:
            found.append(f"{kpi.kpi_id}: both metric and metric_exclusion_reason (drop one)")
        elif kpi.mart and not (kpi.metric or kpi.metric_exclusion_reason):
            found.append(f"{kpi.kpi_id}: no metric and no metric_exclusion_reason (add one)")
        if kpi.metric and kpi.metric not in metrics:
            found.append(f"{kpi.kpi_id}: metric {kpi.metric} is not a metric of the project")
    return found


def meta_problems(kpis: list[Kpi], marts: Marts) -> list[str]:
    """Column KPI meta (also the hand-written kind on facts and breakdowns) that names an
    unknown KPI or role."""
    known = {kpi.kpi_id for kpi in kpis}
    found = []
    for model, columns in sorted(marts.models.items()):
        for name, column in columns.items():
            found += one_meta_problems(f"{model}.{name}", column["meta"], known)
    return found


def one_meta_problems(where: str, meta: dict[str, Any], known: set[str]) -> list[str]:
    named = {*(meta.get("kpi_ids") or []), *([meta["kpi_id"]] if "kpi_id" in meta else [])}
    found = [f"{where}: kpi_id {kpi!r} not in the registry" for kpi in sorted(named - known)]
    if "kpi_id" in meta and meta.get("kpi_role") not in KPI_ROLES:
        found.append(f"{where}: kpi_role {meta.get('kpi_role')!r} not in {sorted(KPI_ROLES)}")
    if "kpi_id" not in meta and ("kpi_ids" in meta or "kpi_role" in meta):
        found.append(f"{where}: kpi_ids or kpi_role without kpi_id")
    return found


def test_generated_files_are_current() -> None:
    report = stale_report(PROJECT_ROOT)
    assert not report, report


def test_kpi_ids_are_value_columns() -> None:
    kpis = load_kpis(PROJECT_ROOT)
    found = id_problems(kpis)
    assert not found, f"fix {REGISTRY} (kpi_id / id_differs_reason):\n" + "\n".join(found)
    exceptions = [kpi.kpi_id for kpi in kpis if kpi.id_differs_reason]
    assert len(exceptions) <= len(kpis) // 10, f"a short list of exceptions, not {exceptions}"


def test_registry_columns_exist_in_marts(parsed: Parsed) -> None:
    found = column_problems(load_kpis(PROJECT_ROOT), parsed.marts)
    assert not found, f"fix {REGISTRY} or the marts:\n" + "\n".join(found)


def test_every_kpi_has_a_metric_or_a_reason(parsed: Parsed) -> None:
    assert len(parsed.metrics) > 50
    found = metric_problems(load_kpis(PROJECT_ROOT), parsed.metrics)
    assert not found, f"fix {REGISTRY} (metric / metric_exclusion_reason):\n" + "\n".join(found)


def test_column_kpi_meta_names_registry_kpis(parsed: Parsed) -> None:
    found = meta_problems(load_kpis(PROJECT_ROOT), parsed.marts)
    assert not found, "\n".join(found)


# --- the checks can fail -------------------------------------------------------------------


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """The registry and the files generated from it, copied (the generator needs no more)."""
    for part in GENERATED:
        source, target = PROJECT_ROOT / part, tmp_path / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.sql"))
        else:
            shutil.copyfile(source, target)
    return tmp_path


def edit_registry(root: Path, kpi_id: str, **changes: str) -> None:
    path = root / REGISTRY
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert any(row["kpi_id"] == kpi_id for row in rows)
    for row in rows:
        if row["kpi_id"] == kpi_id:
            row.update(changes)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_a_registry_change_makes_the_generated_files_stale(project_copy: Path) -> None:
    assert not stale(project_copy)
    edit_registry(project_copy, "win_rate_pct", name_en="Win ratio %")
    edit_registry(project_copy, "average_deal_size", numerator_column="closed_revenue")
    report = stale_report(project_copy)
    for path in (
        "docs/kpis.md",
        "models/marts/_kpi__docs.md",
        "models/marts/team_performance/kpi_team_performance.yml",
        "models/marts/team_performance/fct_kpi_team_performance_monthly.yml",
    ):
        assert path in report
    assert write(project_copy) and not stale(project_copy)
    docs = (project_copy / "models" / "marts" / "_kpi__docs.md").read_text(encoding="utf-8")
    assert "**Win ratio % (勝率)** — deals won / deals closed" in docs


def test_a_hand_edited_generated_file_is_stale(project_copy: Path) -> None:
    path = project_copy / "models" / "marts" / "team_performance" / "kpi_team_performance.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kpi_role: value\n", "kpi_role: numerator\n", 1), "utf-8")
    assert "kpi_team_performance.yml" in stale_report(project_copy)
    write(project_copy)
    assert path.read_text(encoding="utf-8") == text


def test_a_new_kpi_gets_a_doc_stub(project_copy: Path) -> None:
    path = project_copy / REGISTRY
    extra = "brand_new,leads,Brand new,新規,a / b × 100,pct,,,,,design,,,\n"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    write(project_copy)
    docs = (project_copy / "models" / "marts" / "_kpi__docs.md").read_text(encoding="utf-8")
    assert "{% docs kpi_brand_new %}\n**Brand new (新規)** — a / b × 100." in docs
    assert (
        "| Brand new | 新規 | (not yet built) | |"
        in (project_copy / "docs" / "kpis.md").read_text()
    )


def test_the_manifest_checks_fail(parsed: Parsed) -> None:
    kpis = load_kpis(PROJECT_ROOT)
    first = kpis[0]
    broken = [
        dataclasses.replace(first, value_column="no_such_column"),
        dataclasses.replace(first, kpi_id="x1", mart="no_such_mart"),
        dataclasses.replace(first, kpi_id="x2", metric_exclusion_reason="why"),
        dataclasses.replace(first, kpi_id="x3", metric="", metric_exclusion_reason=""),
        dataclasses.replace(first, kpi_id="x4", metric="no_such_metric"),
    ]
    columns = "\n".join(column_problems(broken, parsed.marts))
    assert "no value column no_such_column" in columns and "no_such_mart is not a mart" in columns
    metrics = "\n".join(metric_problems(broken, parsed.metrics))
    for expected in ("x2: both", "x3: no metric", "no_such_metric is not a metric"):
        assert expected in metrics
    meta = one_meta_problems("m.c", {"kpi_id": "nope", "kpi_role": "total"}, {"won_revenue"})
    assert len(meta) == 2


def test_the_id_check_fails() -> None:
    kpis = load_kpis(PROJECT_ROOT)
    same = next(kpi for kpi in kpis if kpi.kpi_id == kpi.value_column)
    broken = [
        dataclasses.replace(same, kpi_id=f"x_{same.kpi_id}"),
        dataclasses.replace(same, id_differs_reason="why"),
        dataclasses.replace(same, kpi_id="x_reasoned", id_differs_reason="why"),
    ]
    found = "\n".join(id_problems(broken))
    assert f"x_{same.kpi_id}: differs from its value column {same.value_column}" in found
    assert f"{same.kpi_id}: id_differs_reason set" in found and "x_reasoned" not in found
