"""Which files the registry generates, and the two modes: write them, or list the stale ones."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .doc_blocks import STUB_FILE, doc_blocks, doc_files, documented, with_stubs
from .kpi_table import KPI_DOC, kpi_table
from .mart_yaml import mart_yaml
from .model import Kpi, load_kpis

MARTS = Path("models") / "marts"
Transform = Callable[[str], str]


@dataclass(frozen=True)
class Target:
    """A file (relative to the project root) and how the registry rewrites its text."""

    path: Path
    transform: Transform


def doc_target(root: Path, path: Path, kpis: list[Kpi]) -> Target:
    if path != STUB_FILE:
        return Target(path, lambda text: doc_blocks(text, kpis, str(path)))
    others = [other for other in doc_files(root) if other != STUB_FILE]
    elsewhere = set().union(*(documented((root / o).read_text(encoding="utf-8")) for o in others))

    def transform(text: str) -> str:
        return with_stubs(doc_blocks(text, kpis, str(path)), kpis, elsewhere)

    return Target(path, transform)


def yaml_target(path: Path, kpis: list[Kpi]) -> Target:
    return Target(path, lambda text: mart_yaml(text, kpis, str(path)))


def targets(root: Path, kpis: list[Kpi]) -> list[Target]:
    found = [Target(KPI_DOC, lambda text: kpi_table(text, kpis, str(KPI_DOC)))]
    found += [doc_target(root, path, kpis) for path in doc_files(root)]
    yamls = sorted(path.relative_to(root) for path in (root / MARTS).rglob("*.yml"))
    return found + [yaml_target(path, kpis) for path in yamls]


def regenerated(root: Path, target: Target) -> tuple[str, str]:
    """The file's current text and the text the registry wants."""
    text = (root / target.path).read_text(encoding="utf-8")
    return text, target.transform(text)


def stale(root: Path) -> dict[Path, str]:
    """Each file that differs from what the registry generates → its unified diff."""
    diffs: dict[Path, str] = {}
    for target in targets(root, load_kpis(root)):
        text, wanted = regenerated(root, target)
        if wanted != text:
            diffs[target.path] = "".join(
                difflib.unified_diff(
                    text.splitlines(keepends=True),
                    wanted.splitlines(keepends=True),
                    f"a/{target.path}",
                    f"b/{target.path}",
                )
            )
    return diffs


def write(root: Path) -> list[Path]:
    """Regenerate every stale file (read, edit, write one file at a time); the ones written."""
    written = []
    for target in targets(root, load_kpis(root)):
        text, wanted = regenerated(root, target)
        if wanted != text:
            (root / target.path).write_text(wanted, encoding="utf-8")
            written.append(target.path)
    return written
