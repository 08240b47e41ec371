"""Targeted edits of YAML text: find nodes with PyYAML's composer (which keeps each node's
position), then splice new text in at those positions, so comments, key order, quoting and
line wrapping of everything else stay as they were."""

from __future__ import annotations

import json
from dataclasses import dataclass

import yaml  # type: ignore[import-untyped]
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode  # type: ignore[import-untyped]

from .model import RegistryError

Value = str | list[str]
# libyaml's loader when PyYAML has it (10× faster); its marks count characters too
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] with `text`."""

    start: int
    end: int
    text: str


def compose(text: str, where: str) -> MappingNode | None:
    try:
        node = yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError as error:
        raise RegistryError(f"{where}: not valid YAML ({error}); fix the file first") from error
    return node if isinstance(node, MappingNode) else None


def child(node: Node | None, key: str) -> Node | None:
    """The value of `key` in a mapping node (None when absent or not a mapping)."""
    if not isinstance(node, MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return value_node
    return None


def items(node: Node | None) -> list[Node]:
    """The entries of a sequence node (empty when absent)."""
    return list(node.value) if isinstance(node, SequenceNode) else []


def mappings(node: Node | None) -> list[MappingNode]:
    """The mapping entries of a sequence node (empty when absent)."""
    return [item for item in items(node) if isinstance(item, MappingNode)]


def text_of(node: Node | None) -> str:
    return str(node.value) if isinstance(node, ScalarNode) else ""


def value_of(node: Node) -> Value | None:
    """A scalar's string or a sequence of scalars' strings; None for anything else."""
    if isinstance(node, ScalarNode):
        return str(node.value)
    if isinstance(node, SequenceNode) and all(isinstance(n, ScalarNode) for n in node.value):
        return [str(n.value) for n in node.value]
    return None


def dump_scalar(value: str) -> str:
    """`value` as YAML on one line: plain when YAML allows, quoted otherwise."""
    dumped = str(yaml.safe_dump(value, allow_unicode=True, width=10**6))
    dumped = dumped.removesuffix("\n").removesuffix("\n...").strip()
    # the project's YAML quotes with double quotes (JSON strings are YAML double-quoted scalars)
    return json.dumps(value, ensure_ascii=False) if dumped.startswith("'") else dumped


def dump(value: Value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(dump_scalar(item) for item in value) + "]"
    return dump_scalar(value)


def line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end


def is_inline(node: Node) -> bool:
    """A value that ends on its own line: a scalar or a flow-style sequence."""
    return isinstance(node, ScalarNode) or (
        isinstance(node, SequenceNode) and bool(node.flow_style)
    )


def set_keys(
    text: str, mapping: MappingNode, wanted: dict[str, Value | None], where: str
) -> list[Edit]:
    """Edits making the block mapping hold `wanted` (None = the key must be absent); a value
    already equal is left untouched, so its quoting and layout stay."""
    edits: list[Edit] = []
    present = {text_of(key): (key, value) for key, value in mapping.value}
    for key, value in wanted.items():
        if key not in present:
            continue
        key_node, value_node = present[key]
        if not is_inline(value_node):
            raise RegistryError(f"{where}: `{key}` must be a one-line value, not a block")
        if value is None:
            start = line_start(text, key_node.start_mark.index)
            edits.append(Edit(start, line_end(text, value_node.end_mark.index) + 1, ""))
        elif value_of(value_node) != value:
            edits.append(Edit(value_node.start_mark.index, value_node.end_mark.index, dump(value)))
    added = [
        (key, value) for key, value in wanted.items() if key not in present and value is not None
    ]
    if added:
        removed = {key for key, value in wanted.items() if value is None}
        edits.append(insert_keys(text, mapping, added, removed, where))
    return edits


def insert_keys(
    text: str,
    mapping: MappingNode,
    added: list[tuple[str, Value]],
    removed: set[str],
    where: str,
) -> Edit:
    """New `key: value` lines after the mapping's last one-line entry that stays, at its
    indentation."""
    anchors = [
        (key, value)
        for key, value in mapping.value
        if is_inline(value) and text_of(key) not in removed
    ]
    if mapping.flow_style or not anchors:
        raise RegistryError(f"{where}: write this mapping in block style (one key per line)")
    key_node, value_node = anchors[-1]
    indent = " " * key_node.start_mark.column
    at = line_end(text, value_node.end_mark.index)
    return Edit(at, at, "".join(f"\n{indent}{key}: {dump(value)}" for key, value in added))


def apply(text: str, edits: list[Edit]) -> str:
    """`text` with the (non-overlapping) edits applied."""
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text
