"""Write raw tables as CSV or Parquet, appending chunk after chunk with bounded memory."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from .config import OutputFormat
from .formatting import table_schema
from .schema import TABLES

#: A CSV value is quoted when it holds a comma, quote or line break, or starts/ends with space.
NEEDS_QUOTES = r'[,"\r\n]|^\s|\s$'


def csv_bytes(table: pa.Table) -> memoryview:
    """RFC 4180 CSV lines of a string table (no header): minimal quoting, null = empty."""
    if table.num_rows == 0:
        return memoryview(b"")
    columns: list[pa.Array] = []
    for column in table.columns:
        values = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        needs = pc.fill_null(pc.match_substring_regex(values, NEEDS_QUOTES), False)
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(values, '"', '""'), '"', "")
        columns.append(pc.if_else(needs, quoted, values))
    lines = pc.binary_join_element_wise(*columns, ",", null_handling="replace", null_replacement="")
    lines = pc.binary_join_element_wise(lines, "\n", "").cast(pa.large_string())
    _, offsets_buffer, data = lines.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[
        lines.offset : lines.offset + len(lines) + 1
    ]
    assert data is not None
    return memoryview(data)[int(offsets[0]) : int(offsets[-1])]


class _CsvTable:
    def __init__(self, path: Path, name: str) -> None:
        self._file: BinaryIO = path.open("wb")
        self._file.write((",".join(table_schema(name).names) + "\n").encode())

    def write(self, table: pa.Table) -> None:
        self._file.write(csv_bytes(table))

    def close(self) -> None:
        self._file.close()


class _ParquetTable:
    def __init__(self, path: Path, name: str) -> None:
        self._writer = pq.ParquetWriter(path, table_schema(name), compression="zstd")

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self._writer.write_table(table)

    def close(self) -> None:
        self._writer.close()


class TableWriters:
    """One open file per raw table (``<table>.csv`` / ``<table>.parquet``) and row counts."""

    def __init__(self, out_dir: Path, output_format: OutputFormat) -> None:
        self.out_dir = out_dir
        self.output_format = output_format
        self.rows: dict[str, int] = dict.fromkeys(TABLES, 0)
        self._open: dict[str, _CsvTable | _ParquetTable] = {}

    def path(self, name: str) -> Path:
        return self.out_dir / f"{name}.{self.output_format}"

    def write(self, name: str, table: pa.Table) -> None:
        if table.schema != table_schema(name):
            raise ValueError(f"{name}: schema {table.schema} is not the contract's")
        if name not in self._open:
            cls = _CsvTable if self.output_format == "csv" else _ParquetTable
            self._open[name] = cls(self.path(name), name)
        self._open[name].write(table)
        self.rows[name] += table.num_rows

    def close(self) -> None:
        """Close every file; tables never written get a file with no rows."""
        for name in TABLES:
            if name not in self._open:
                self.write(name, table_schema(name).empty_table())
        for handle in self._open.values():
            handle.close()
        self._open.clear()

    def __enter__(self) -> TableWriters:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is None:
            self.close()
        else:
            for handle in self._open.values():
                handle.close()
