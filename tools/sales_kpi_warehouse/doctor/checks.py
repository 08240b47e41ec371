"""The row checks of one raw table, derived from its contract and counted in DuckDB: one
aggregate query per table counts every check at once; only a failing check is queried again,
for its example values (or, for a vocabulary, every unmapped value with its row count)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .contract import ColumnSpec, TableSpec, describe_kpis
from .export import normalise_sql, sql_text

DATE_SHAPE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
TIMESTAMP_SHAPE = (
    DATE_SHAPE + "([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?"
    "(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?)?"
)
NUMBER_SHAPE = "[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?"
BOOLEANS = ("true", "1", "yes", "y", "t", "false", "0", "no", "n", "f")
#: type → (the reason code of an unparseable value, what the user should write)
PARSE_CLASSES = {
    "date": ("invalid_date", "a YYYY-MM-DD date"),
    "month": ("invalid_date", "a YYYY-MM-DD date"),
    "timestamp": ("invalid_date", "a YYYY-MM-DD[ HH:MM[:SS]][offset] timestamp"),
    "integer": ("invalid_number", "a whole number"),
    "number": ("invalid_number", "a number with a '.' decimal point"),
    "currency": ("invalid_currency", "a 3-letter ISO 4217 code"),
    "boolean": ("", "true/false, 1/0, yes/no"),
}
STAGE_CATEGORIES = {"closed_stage": "('won', 'lost')", "open_stage": "('open')"}
EXAMPLES = 3


@dataclass(frozen=True)
class Finding:
    """One problem of the export; `severity` error = rows rejected or the build stops."""

    table: str
    column: str | None
    check: str
    severity: str
    rows: int
    message: str
    impact: str
    reason_code: str | None = None
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    """A row predicate over `raw_<table> as r` (and the mapping joins)."""

    column: str
    check: str
    predicate: str
    reason_code: str | None
    message: str
    value: str | None = None  # what to show as examples; None = no examples
    all_values: bool = False  # list every value with its row count (vocabularies)


#: type → (the shape the text must have, its typed value): the shape is checked first, as in
#: macros/cross_db/try_cast.sql, so no engine leniency lets a malformed value pass
PARSERS = {
    "date": (DATE_SHAPE, "try_cast({ref} as date)"),
    "timestamp": (TIMESTAMP_SHAPE, "try_cast(replace({ref}, 'T', ' ') as timestamptz)"),
    "integer": ("[+-]?[0-9]+", "try_cast({ref} as integer)"),
    "number": (NUMBER_SHAPE, "try_cast({ref} as double)"),
    "currency": ("[A-Za-z]{3}", "upper({ref})"),
}


def parsed(column: ColumnSpec, ref: str) -> str:
    """The typed value of a clean-text column reference; NULL when it does not parse."""
    kind = "date" if column.type == "month" else column.type
    if kind == "boolean":
        return f"case when lower({ref}) in {BOOLEANS} then true end"
    if kind not in PARSERS:
        return ref
    shape, value = PARSERS[kind]
    return f"case when regexp_full_match({ref}, '{shape}') then {value.replace('{ref}', ref)} end"


def clause_code(column: ColumnSpec, *words: str) -> str | None:
    """The reason code of the first `rejects_when` clause that mentions one of `words`."""
    for clause in (column.rejects_when or "").split(";"):
        codes = ColumnSpec("", "", False, None, clause, (), "text").reason_codes
        if codes and any(word in clause for word in words):
            return codes[0]
    return None


def empty_check(column: ColumnSpec) -> Check:
    return Check(
        column.name,
        "empty_required",
        f"r.{column.name} is null",
        clause_code(column, "empty") or (column.reason_codes or ("missing_value",))[0],
        f"{column.name} is empty (a required column)",
    )


def parse_check(column: ColumnSpec) -> Check | None:
    if column.type not in PARSE_CLASSES:
        return None
    code, wanted = PARSE_CLASSES[column.type]
    ref = f"r.{column.name}"
    reason = code if code in column.reason_codes else None
    if reason is None and column.required:  # unparseable reads as empty, and empty rejects
        reason = clause_code(column, "empty")
    return Check(
        column.name,
        f"unparseable_{column.type}",
        f"{ref} is not null and ({parsed(column, ref)}) is null",
        reason,
        f"{column.name} is not {wanted}",
        value=ref,
    )


def value_checks(table: TableSpec, column: ColumnSpec) -> list[Check]:
    """Allowed list, vocabulary, range, date order and the deal-stage rules of one column."""
    ref = f"r.{column.name}"
    found: list[Check] = []
    if column.values:
        allowed = ", ".join(sql_text(v) for v in column.values)
        found.append(
            Check(
                column.name,
                "invalid_value",
                f"{ref} is not null and lower({ref}) not in ({allowed})",
                "invalid_value" if "invalid_value" in column.reason_codes else None,
                f"{column.name} is not one of {', '.join(column.values)}",
                value=ref,
            )
        )
    if column.mapping:
        found.append(
            Check(
                column.name,
                "unmapped",
                f"{normalise_sql(ref)} is not null and m_{column.name}.source_value is null",
                clause_code(column, column.mapping),
                f"{column.name} has no row in {column.mapping}",
                value=normalise_sql(ref),
                all_values=True,
            )
        )
    if column.min is not None or column.max is not None:
        number = f"({parsed(column, ref)})"
        bounds = [f"{number} < {column.min}"] if column.min is not None else []
        bounds += [f"{number} > {column.max}"] if column.max is not None else []
        code = "negative_amount" if "negative_amount" in column.reason_codes else "invalid_value"
        found.append(
            Check(
                column.name,
                "out_of_range",
                " or ".join(bounds),
                code if code in column.reason_codes else None,
                f"{column.name} is negative"
                if column.max is None
                else f"{column.name} is outside {column.min}–{column.max}",
                value=ref,
            )
        )
    if column.not_before:
        other = table.column(column.not_before)
        mine, theirs = parsed(column, ref), parsed(other, f"r.{other.name}")
        coarse = f"length({ref}) = 10 or length(r.{other.name}) = 10"
        found.append(
            Check(
                column.name,
                "impossible_date",
                f"case when {coarse} then cast({mine} as date) < cast({theirs} as date) "
                f"else {mine} < {theirs} end",
                clause_code(column, f"before {other.name}"),
                f"{column.name} is before {other.name}",
                value=f"{ref} || ' < ' || r.{other.name}",
            )
        )
    stage = stage_category(table)
    if stage and column.required_when in STAGE_CATEGORIES:
        found.append(
            Check(
                column.name,
                "missing_on_closed_stage",
                f"{stage} in {STAGE_CATEGORIES[column.required_when]} and {ref} is null",
                clause_code(column, "won or lost"),
                f"{column.name} is empty on a won or lost stage",
            )
        )
    if stage and column.empty_when in STAGE_CATEGORIES:
        found.append(
            Check(
                column.name,
                "set_on_open_stage",
                f"{stage} in {STAGE_CATEGORIES[column.empty_when]} and {ref} is not null",
                clause_code(column, "open stage"),
                f"{column.name} is set on an open stage",
                value=ref,
            )
        )
    return found


def stage_category(table: TableSpec) -> str | None:
    """The mapped stage category of the table's deal stage column, if it has one."""
    stage = next((c for c in table.columns if c.mapping == "map_deal_stages"), None)
    return f"m_{stage.name}.stage_category" if stage else None


def fx_check(column: ColumnSpec, reporting_currency: str) -> Check:
    """Rows whose currency (empty = the reporting one) has no rate to the reporting currency."""
    effective = f"coalesce(upper(r.{column.name}), {sql_text(reporting_currency)})"
    return Check(
        column.name,
        "no_fx_rate",
        f"{effective} <> {sql_text(reporting_currency)} and regexp_full_match({effective}, "
        f"'[A-Z]{{3}}') and {effective} not in (select currency_code from fx_pairs)",
        None,
        f"{column.name} has no rate to {reporting_currency} in fx_rates",
        value=effective,
    )


def table_checks(table: TableSpec, present: list[str], reporting_currency: str) -> list[Check]:
    found: list[Check] = []
    for column in table.columns:
        if column.required and column.name in present:
            found.append(empty_check(column))
        parse = parse_check(column)
        if parse and column.name in present:
            found.append(parse)
        found += value_checks(table, column)
        if column.type == "currency" and table.name != "fx_rates" and column.name in present:
            found.append(fx_check(column, reporting_currency))
    return found


def joins(table: TableSpec) -> str:
    return " ".join(
        f"left join {c.mapping} as m_{c.name} "
        f"on m_{c.name}.source_value = {normalise_sql(f'r.{c.name}')}"
        for c in table.columns
        if c.mapping
    )


def impact(table: TableSpec, column: ColumnSpec, check: Check) -> str:
    if check.reason_code:
        return (
            f"rejected ({check.reason_code}): these rows are left out of "
            f"{describe_kpis(table.kpis)}"
        )
    if check.check == "no_fx_rate":
        return f"staged; their money is not converted: {describe_kpis(column.kpis)} leave it out"
    kept = f" → {column.default}" if column.default else ""
    return f"staged, the value read as empty{kept}; the column feeds: {describe_kpis(column.kpis)}"


def run_checks(
    con: duckdb.DuckDBPyConnection, table: TableSpec, present: list[str], reporting_currency: str
) -> tuple[int, int, list[Finding]]:
    """(rows, rows any check rejects, findings) of `raw_<table>`."""
    checks = table_checks(table, present, reporting_currency)
    source = f"raw_{table.name} as r {joins(table)}"
    rejecting = [f"({c.predicate})" for c in checks if c.reason_code] or ["false"]
    counts = [f"count(*) filter (where {c.predicate})" for c in checks]
    row = con.execute(
        f"select count(*), count(*) filter (where {' or '.join(rejecting)})"
        f"{''.join(', ' + c for c in counts)} from {source}"
    ).fetchone()
    assert row is not None
    findings: list[Finding] = []
    for check, rows in zip(checks, row[2:], strict=True):
        if not rows:
            continue
        column = table.column(check.column)
        findings.append(
            Finding(
                table=table.name,
                column=check.column,
                check=check.check,
                severity="error" if check.reason_code else "warning",
                rows=int(rows),
                message=check.message,
                impact=impact(table, column, check),
                reason_code=check.reason_code,
                examples=examples(con, source, check),
            )
        )
    return int(row[0]), int(row[1]), findings


def examples(con: duckdb.DuckDBPyConnection, source: str, check: Check) -> tuple[str, ...]:
    if check.value is None:
        return ()
    limit = "" if check.all_values else f"limit {EXAMPLES}"
    values = con.execute(
        f"select {check.value} as v, count(*) as n from {source} where {check.predicate} "
        f"group by v order by n desc, v {limit}"
    ).fetchall()
    return tuple(f"{v!r} ({n:,} rows)" if n > 1 else f"{v!r} (1 row)" for v, n in values)
