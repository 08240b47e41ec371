"""The contract-wide adversarial matrix (issue "Nothing lost, nothing silent").

Every column of every table of the input contract (models/staging/crm/_crm__sources.yml) gets
a wrong-type value, an empty and a blank value, and extreme values. The cases are derived from
the contract at collection time, not hand-listed: a column added to the YAML is attacked too.
Each mutation goes into one copy of a valid row with a fresh key (one row = one defect; for a
key column the mutation is the key itself), all of them into one generated export built once.
Each case's expected outcome comes from the column's meta:

- wrong type on a typed column (or a value outside `values` / `mapping`): rejected, with a
  reason code its `rejects_when` names for that; free text is staged literally;
- empty (or blank) on a required column, or on one whose `rejects_when` names emptiness:
  rejected with that code; on another optional column: staged, with the documented default;
- extreme values: rejected with a documented code, or staged with the value exactly preserved
  (never rounded, truncated or turned to NULL). A number beyond the type staging stores it in
  is rejected as `out_of_range`, and so is a deal amount too large to convert
  (9999999999999999.99). The build must not fail anywhere.

Every case also checks raw = staged + rejected for its table (dq_row_reconciliation).
Every project var gets at least one bad value here or in test_vars.py.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd
import pytest
import yaml  # type: ignore[import-untyped]
from conftest import PROJECT_ROOT, SKIP_UNIT_TESTS, generate, run_dbt
from dbt.artifacts.schemas.run import RunExecutionResult
from test_vars import PROBLEM_LINE, project_vars, rejected_run

pytestmark = pytest.mark.dbt

SOURCES_YML = PROJECT_ROOT / "models" / "staging" / "crm" / "_crm__sources.yml"
TEST_VARS = Path(__file__).with_name("test_vars.py")

# -- mutations by contract type -------------------------------------------------------------

HOSTILE_TEXT = 'O\'Brien "Co", Ltd.; drop table x; --\nline two\t日本語 é ✓'
LONG_TEXT = ("長" + "a" * 9) * 1_000  # 10,000 characters
EMPTY_MUTATIONS = {"empty": "", "blank": "   "}
WRONG_TYPE: dict[str, dict[str, str]] = {
    "text": {"wrong_type": HOSTILE_TEXT},
    "date": {"wrong_type": "not-a-date", "wrong_type_calendar": "2025-02-30"},
    "month": {"wrong_type": "not-a-date", "wrong_type_calendar": "2025-02-30"},
    "timestamp": {"wrong_type": "not-a-date", "wrong_type_calendar": "2025-02-30 10:00:00"},
    "integer": {"wrong_type": "twelve", "wrong_type_hex": "0x10"},
    "number": {"wrong_type": "twelve", "wrong_type_nan": "NaN", "wrong_type_infinity": "Infinity"},
    "currency": {"wrong_type": "US Dollar", "wrong_type_symbols": "$$$"},
    "boolean": {"wrong_type": "maybe"},
}
EXTREME: dict[str, dict[str, str]] = {
    "text": {"extreme_long": LONG_TEXT},
    "date": {"extreme_max": "9999-12-31", "extreme_min": "1900-01-01"},
    "month": {"extreme_max": "9999-12-31", "extreme_min": "1900-01-01"},
    "timestamp": {"extreme_max": "9999-12-31 23:59:59", "extreme_min": "1900-01-01 00:00:00"},
    "integer": {
        "extreme_max": "2147483648",
        "extreme_fraction": "1.5",
        "extreme_negative_zero": "-0",
    },
    "number": {
        "extreme_max": "99999999999999999999.99",
        "extreme_exponent": "1e30",
        "extreme_huge": "+1e308",
        "extreme_edge": "9999999999999999.99",
        "extreme_precision": "0.000000001",
        "extreme_negative_zero": "-0",
    },
    "currency": {"extreme_unknown": "ZZZ"},
    "boolean": {"extreme_spelling": "TRUE"},
}
# Amounts staging must reject although they fit its decimal type: converted to the reporting
# currency they overflow downstream (lead's decision, issue "Nothing lost, nothing silent").
OUT_OF_RANGE_ALTHOUGH_STORABLE = {("deals", "amount", "9999999999999999.99")}
CODE = re.compile(r"\(([a-z_]+)\)\s*$")
TYPE_CLAUSE = re.compile(r"not a |not 3 letters|not a whole number")
VALUE_CLAUSE = re.compile(r"\bnot\b|no row")


def rejects_clauses(meta: dict[str, Any]) -> list[tuple[str, str]]:
    """A column's `rejects_when` as (clause, reason code) pairs: 'not a date (invalid_date)'."""
    pairs = []
    for clause in (meta.get("rejects_when") or "").split(";"):
        match = CODE.search(clause.strip())
        if match:
            pairs.append((clause.strip(), match.group(1)))
    return pairs


@dataclass(frozen=True)
class ContractColumn:
    table: str
    name: str
    meta: dict[str, Any]
    table_key: tuple[str, ...]
    dependents: tuple[str, ...]  # codes of the columns that must not be before this one

    @property
    def type(self) -> str:
        return str(self.meta["type"])

    @property
    def clauses(self) -> list[tuple[str, str]]:
        return rejects_clauses(self.meta)

    def codes_where(self, pattern: re.Pattern[str]) -> frozenset[str]:
        return frozenset(code for clause, code in self.clauses if pattern.search(clause))

    @property
    def documented(self) -> frozenset[str]:
        return frozenset(code for _, code in self.clauses) | frozenset(self.dependents)

    @property
    def is_free_text(self) -> bool:
        return self.type == "text" and not ({"values", "mapping"} & set(self.meta))


@dataclass(frozen=True)
class Case:
    column: ContractColumn
    mutation: str
    value: str
    fresh: tuple[tuple[str, str], ...]  # other columns given a fresh unique value
    locator: str  # the column whose raw value finds the row (a text or currency key)
    locator_type: str

    @property
    def id(self) -> str:
        return f"{self.column.table}.{self.column.name}-{self.mutation}"

    @property
    def table(self) -> str:
        return self.column.table

    @property
    def locator_value(self) -> str:
        if self.locator == self.column.name:
            return self.value
        return dict(self.fresh)[self.locator]


def contract_columns() -> list[ContractColumn]:
    sources = yaml.safe_load(SOURCES_YML.read_text())["sources"]
    crm = next(source for source in sources if source["name"] == "crm")
    columns = []
    for table in crm["tables"]:
        metas = {column["name"]: column["config"]["meta"] for column in table["columns"]}
        for name, meta in metas.items():
            dependents = tuple(
                code
                for other in metas.values()
                if other.get("not_before") == name
                for clause, code in rejects_clauses(other)
                if "before" in clause
            )
            key = tuple(table["meta"]["key"])
            columns.append(ContractColumn(table["name"], name, meta, key, dependents))
    return columns


def fresh_value(column_type: str, index: int, case_id: str) -> str:
    if column_type == "currency":  # three letters, never one of the export's currencies
        assert index < 26 * 26, "more fresh currency codes needed than 'Q??' offers"
        return "Q" + chr(65 + index // 26) + chr(65 + index % 26)
    return f"ADV:{case_id}"


def matrix_cases() -> list[Case]:
    cases: list[Case] = []
    types: dict[tuple[str, str], str] = {}
    columns = contract_columns()
    for column in columns:
        types[column.table, column.name] = column.type
    for column in columns:
        mutations = {
            **WRONG_TYPE[column.type],
            **EMPTY_MUTATIONS,
            **EXTREME[column.type],
        }
        freshable = [
            key
            for key in column.table_key
            if key != column.name and types[column.table, key] in ("text", "currency")
        ]
        for mutation, value in mutations.items():
            case_id = f"{column.table}.{column.name}-{mutation}"
            if freshable:
                key = freshable[0]
                index = sum(case.table == column.table for case in cases)
                fresh = ((key, fresh_value(types[column.table, key], index, case_id)),)
                cases.append(Case(column, mutation, value, fresh, key, types[column.table, key]))
            else:
                cases.append(Case(column, mutation, value, (), column.name, column.type))
    return cases


CASES = matrix_cases()

# -- expected outcome, from the contract ----------------------------------------------------


@dataclass(frozen=True)
class Expected:
    outcome: Literal["rejected", "staged", "rejected_or_preserved"]
    codes: frozenset[str] = frozenset()  # rejected: at least one of these
    allowed: frozenset[str] = frozenset()  # rejected: no code outside these
    check_value: Literal["preserved", "default", "none"] = "none"
    gap: str | None = None  # the contract names no code for this: the case fails

    def says(self) -> str:
        if self.gap:
            return self.gap
        if self.outcome == "rejected":
            return f"rejected with {' or '.join(sorted(self.codes))}"
        if self.outcome == "staged":
            kept = "value kept exactly" if self.check_value == "preserved" else "default"
            return f"staged ({kept})"
        return f"rejected with one of {sorted(self.allowed)}, or staged with the value kept exactly"


def number_limit(stored_type: str) -> Decimal | None:
    """The first absolute value the stored type cannot hold (None: no limit known)."""
    decimal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", stored_type.upper())
    if decimal:
        return Decimal(10) ** (int(decimal.group(1)) - int(decimal.group(2)))
    limits = {"INTEGER": 2**31, "BIGINT": 2**63, "SMALLINT": 2**15, "HUGEINT": 2**127}
    limit = limits.get(stored_type.upper())
    return Decimal(limit) if limit else None


def as_decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def expected(case: Case, stored_type: str | None) -> Expected:
    column = case.column
    if case.mutation in EMPTY_MUTATIONS:
        return expected_empty(column)
    if case.mutation.startswith("wrong_type"):
        if column.is_free_text:
            return Expected("staged", check_value="preserved")
        pattern = VALUE_CLAUSE if column.type == "text" else TYPE_CLAUSE
        codes = column.codes_where(pattern)
        if not codes:
            return Expected(
                "rejected",
                gap=f"the contract names no reason code for a wrong {column.type} value in"
                f" {column.table}.{column.name} (rejects_when: {column.meta.get('rejects_when')})",
            )
        return Expected("rejected", codes, column.documented)
    return expected_extreme(case, stored_type)


def expected_empty(column: ContractColumn) -> Expected:
    codes = column.codes_where(re.compile(r"\bempty\b"))
    if codes:
        return Expected("rejected", codes, column.documented)
    if column.meta.get("required"):
        return Expected(
            "rejected",
            gap=f"{column.table}.{column.name} is required but rejects_when names no code for"
            " an empty value",
        )
    return Expected("staged", check_value="default")


def expected_extreme(case: Case, stored_type: str | None) -> Expected:
    column = case.column
    allowed = column.documented
    if column.type in ("number", "integer"):
        allowed |= {"out_of_range"}
        number = as_decimal(case.value)
        limit = number_limit(stored_type) if stored_type else None
        too_large = number is not None and limit is not None and abs(number) >= limit
        if too_large or (column.table, column.name, case.value) in OUT_OF_RANGE_ALTHOUGH_STORABLE:
            above_max = "max" in column.meta and number is not None and number > column.meta["max"]
            range_codes = column.codes_where(re.compile("outside|above")) if above_max else set()
            return Expected("rejected", frozenset({"out_of_range", *range_codes}), allowed)
    return Expected("rejected_or_preserved", allowed=allowed, check_value="preserved")


# -- the export, mutated, and its one build --------------------------------------------------


def read(export: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(export / f"{table}.csv", dtype=str, keep_default_na=False)


def base_row(frame: pd.DataFrame) -> pd.DataFrame:
    """The valid row with the most values: every conditional rule (an amount on a closed deal,
    a currency on a revenue quota) applies to its copies."""
    filled = (frame != "").sum(axis=1).to_numpy()
    return frame.iloc[[int(filled.argmax())]]


def write_mutations(export: Path) -> None:
    tables = sorted({case.table for case in CASES})
    for table in tables:
        frame = read(export, table)
        template = base_row(frame)
        copies = []
        for case in (case for case in CASES if case.table == table):
            if case.mutation == "empty" and expected_empty(case.column).outcome == "rejected":
                # a conditional rule ("empty on a won deal") needs the base row to have a value
                assert template[case.column.name].iloc[0] != "", f"{case.id}: base row is empty"
            row = template.copy()
            for column, value in case.fresh:
                row[column] = value
            row[case.column.name] = case.value
            copies.append(row)
        pd.concat([frame, *copies], ignore_index=True).to_csv(export / f"{table}.csv", index=False)


@dataclass
class Matrix:
    con: duckdb.DuckDBPyConnection
    failed_nodes: list[str]
    reconciliation: dict[str, tuple[int, int, int]]
    staged_columns: dict[str, dict[str, str]]  # table -> column -> stored type

    def rows(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    root = tmp_path_factory.mktemp("contract_matrix")
    export = root / "export"
    generate(export, "--deals", "300", "--seed", "41", "--no-defects")
    currencies = set(read(export, "fx_rates")["currency_code"]) | set(
        read(export, "fx_rates")["quote_currency"]
    )
    assert not currencies & {value for case in CASES for _, value in case.fresh}
    write_mutations(export)
    db_path = root / "w.duckdb"
    # unit tests run on their own fixtures, not on this export: left out
    result = run_dbt(
        ["build", *SKIP_UNIT_TESTS],
        db_path,
        {"input_mode": "files", "raw_path": str(export)},
    )
    failed = []
    if isinstance(result.result, RunExecutionResult):
        failed = [
            f"{r.node.unique_id} ({r.status}): {r.message}"
            for r in result.result.results
            if str(r.status) in ("error", "fail")
        ]
    elif not result.success:
        failed = [f"the build stopped: {result.exception}"]
    con = duckdb.connect(str(db_path), read_only=True)
    reconciliation = {
        row[0]: (row[1], row[2], row[3])
        for row in con.sql(
            "select source_table, raw_rows, staged_rows, rejected_rows"
            " from main_data_quality.dq_row_reconciliation"
        ).fetchall()
    }
    staged_columns: dict[str, dict[str, str]] = {}
    for table, column, data_type in con.sql(
        "select table_name, column_name, data_type from information_schema.columns"
        " where table_schema = 'main_staging' and table_name like 'stg_crm__%'"
    ).fetchall():
        staged_columns.setdefault(table.removeprefix("stg_crm__"), {})[column] = data_type
    yield Matrix(con, failed, reconciliation, staged_columns)
    con.close()


# -- checks ----------------------------------------------------------------------------------


def staged_column(matrix: Matrix, table: str, column: str) -> str | None:
    """The stg_ column that holds a raw column (amounts are staged as <column>_local)."""
    for name in (column, f"{column}_local"):
        if name in matrix.staged_columns.get(table, {}):
            return name
    return None


def clean(column_type: str, raw: str) -> str | None:
    text = raw.strip(" ")
    if not text:
        return None
    return text.upper() if column_type == "currency" else text


def staged_rows(matrix: Matrix, case: Case) -> list[dict[str, Any]]:
    value = clean(case.locator_type, case.locator_value)
    where = f"{case.locator} is null" if value is None else f"{case.locator} = $1"
    cursor = matrix.con.execute(
        f"select * from main_staging.stg_crm__{case.table} where {where}",
        [] if value is None else [value],
    )
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def rejected_codes(matrix: Matrix, case: Case) -> list[list[str]]:
    rows = matrix.rows(
        "select reason_codes from main_data_quality.rejected_rows where source_table = $1"
        f" and coalesce(json_extract_string(raw_values, '$.{case.locator}'), '') = $2",
        [case.table, case.locator_value],
    )
    return [sorted((row[0] or "").split("; ")) for row in rows]


TRUE_WORDS = ("true", "1", "yes", "y", "t")  # macros/staging/parse_boolean.sql
READ_AS: dict[str, Callable[[str], Any]] = {
    "number": as_decimal,
    "integer": as_decimal,
    "date": dt.date.fromisoformat,
    "month": lambda text: (int(text[:4]), int(text[5:7])),
    "timestamp": dt.datetime.fromisoformat,
    "boolean": lambda text: text.lower() in TRUE_WORDS,
    "currency": str.upper,
    "text": str,
}


def preserved(column: ContractColumn, raw: str, staged: Any) -> bool:
    """Whether the staged value is exactly the raw one, read as the column's type."""
    want = READ_AS[column.type](raw.strip(" "))
    if column.meta.get("case") == "lower" and isinstance(want, str):
        want = want.lower()  # documented: the staged value is lower-cased
    got = staged
    if column.type in ("number", "integer") and staged is not None:
        got = Decimal(str(staged))
    if column.type == "month" and isinstance(staged, dt.date):
        got = (staged.year, staged.month)
    return want is not None and bool(got == want)


def default_value(column: ContractColumn, row: dict[str, Any]) -> tuple[bool, Any]:
    """(checkable, value) of the documented default of an empty optional column."""
    default = column.meta.get("default")
    if default is None or str(default).startswith("null"):
        return True, None
    text = str(default)
    var = re.fullmatch(r"var (\w+) \((.+)\)", text)
    if var:
        value = project_vars()[var.group(1)]
        fallback = re.fullmatch(r"null = (\w+)", var.group(2))
        if value is None and fallback:
            value = project_vars()[fallback.group(1)]
        return True, value
    same_as = re.fullmatch(r"the (\w+)", text)
    if same_as:
        return True, row.get(same_as.group(1))
    if text in ("false", "true"):
        return True, text == "true"
    if text == "(unknown)":
        return True, text
    return False, None  # resolved downstream ("(unknown) rep") or derived (segment)


def outcome_text(
    staged: list[dict[str, Any]], rejected: list[list[str]], column: str | None
) -> str:
    parts = []
    if staged:
        values = [repr(row.get(column))[:80] if column else "?" for row in staged]
        parts.append(f"staged {len(staged)}x (value {', '.join(values)})")
    if rejected:
        parts.append(f"rejected with {['; '.join(codes) for codes in rejected]}")
    return " and ".join(parts) or "neither staged nor rejected (lost)"


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_contract_case(case: Case, matrix: Matrix) -> None:
    column = staged_column(matrix, case.table, case.column.name)
    stored_type = matrix.staged_columns.get(case.table, {}).get(column or "")
    want = expected(case, stored_type)
    staged = staged_rows(matrix, case)
    rejected = rejected_codes(matrix, case)
    actual = outcome_text(staged, rejected, column)
    context = f"{case.id} ({case.value[:60]!r}): contract says {want.says()}; actual: {actual}"

    raw, staged_count, rejected_count = matrix.reconciliation[case.table]
    assert raw == staged_count + rejected_count, f"{context}; {case.table} lost rows"
    assert want.gap is None, context
    assert len(staged) + len(rejected) == 1, context
    if rejected:
        codes = set(rejected[0])
        assert want.outcome != "staged", context
        if want.outcome == "rejected":
            assert codes & want.codes, context
        assert codes <= want.allowed, f"{context}; undocumented: {sorted(codes - want.allowed)}"
        return
    assert want.outcome != "rejected", context
    row = staged[0]
    if want.check_value == "preserved" and column:
        assert preserved(case.column, case.value, row[column]), context
    if want.check_value == "default" and column:
        checkable, value = default_value(case.column, row)
        if checkable:
            assert row[column] == value, f"{context}; documented default {value!r}"


def test_the_matrix_build_has_no_failed_node(matrix: Matrix) -> None:
    assert matrix.failed_nodes == [], "\n".join(matrix.failed_nodes)


def test_every_contract_column_is_attacked() -> None:
    """Three kinds of mutation for every column of every table of the contract."""
    kinds: dict[tuple[str, str], set[str]] = {}
    for case in CASES:
        kinds.setdefault((case.table, case.column.name), set()).add(case.mutation.split("_")[0])
    columns = {(c.table, c.name) for c in contract_columns()}
    assert set(kinds) == columns
    for column, found in kinds.items():
        assert {"wrong", "empty", "extreme"} <= found, column
    assert len({case.id for case in CASES}) == len(CASES)


# -- every var with a wrong value ------------------------------------------------------------

MISSING_EXPORT = "/nonexistent/sales_kpi_adversarial/export"
# A second bad value for every var but input_mode (test_vars.py has "Files"), which must stay
# 'files' so that raw_path is read; each differs from test_vars.py's.
BAD_VARS: dict[str, Any] = {
    "raw_path": MISSING_EXPORT,
    "raw_file_format": "CSV",
    "raw_database": "1db",
    "raw_schema": "crm raw",
    "mapping_path": 42,
    "supplement_path": "supplements\x00",
    "supplement_schema": "plans; drop schema main",
    "salesforce_database": "sales force",
    "salesforce_schema": "salesforce.raw",
    "hubspot_database": "hub;spot",
    "hubspot_schema": "-hubspot",
    "source_timezone": "UTC+9",
    "reporting_currency": "¥",
    "reporting_timezone": "tokyo",
    "default_currency": "",
    "default_deal_type": "NEW_BUSINESS",
    "default_rep_role": None,
    "default_team_type": "field sales",
    "segment_employee_thresholds": {"enterprise": 100, "mid_market": -5},
    "max_rejected_share": -0.1,
    "warn_rejected_share": "ten percent",
    "company_name": "",
    "fiscal_year_start_month": 4.5,
    "as_of_date": "2026-10-31T00:00:00",
    "calendar_start_date": "2015-1-1",
    "calendar_end_date": "9999-99-99",
    "planning_trailing_months": -12,
    "incremental_lookback_days": -3,
    "bi_role": "bi-role",
}
# The connector modes' field and property names (one rule: a plain identifier, or null).
CONNECTOR_FIELD_VAR = re.compile(r"salesforce_\w+_field|hubspot_\w+_property")
BAD_VARS.update(
    {name: "Custom Field__c" for name in project_vars() if CONNECTOR_FIELD_VAR.fullmatch(name)}
)


def vars_with_bad_values(source: Path) -> set[str]:
    """Var names given a value in the tests of `source` that call rejected_run: dict keys in
    their body and the first item of their parametrize tuples."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if not isinstance(node, ast.FunctionDef):
            continue
        calls = {
            n.func.id
            for n in ast.walk(node)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        }
        if "rejected_run" not in calls:
            continue
        for sub in [*ast.walk(node), *(n for d in node.decorator_list for n in ast.walk(d))]:
            if isinstance(sub, ast.Dict):
                names |= {constant_text(key) for key in sub.keys}
            if isinstance(sub, ast.Tuple) and sub.elts:
                names.add(constant_text(sub.elts[0]))
    return names


def constant_text(node: ast.expr | None) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def test_every_var_has_a_bad_value_case() -> None:
    covered = vars_with_bad_values(TEST_VARS) | set(BAD_VARS)
    missing = sorted(set(project_vars()) - covered)
    assert missing == [], f"no bad-value case for the vars {missing}"


def test_a_bad_value_for_every_var_is_reported_in_one_error(tmp_path: Path) -> None:
    message = rejected_run(tmp_path, {"input_mode": "files", **BAD_VARS})
    reported = PROBLEM_LINE.findall(message)
    assert sorted(reported) == sorted(BAD_VARS), (
        f"not reported: {sorted(set(BAD_VARS) - set(reported))}\n{message}"
    )
    assert f"var 'raw_path' is '{MISSING_EXPORT}'" in message


def test_a_raw_path_that_does_not_exist_stops_the_run_before_anything(tmp_path: Path) -> None:
    message = rejected_run(tmp_path, {"input_mode": "files", "raw_path": MISSING_EXPORT})
    assert PROBLEM_LINE.findall(message) == ["raw_path"], message
    assert MISSING_EXPORT in message
