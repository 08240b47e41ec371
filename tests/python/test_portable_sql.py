"""Models and analyses stay engine-neutral: no engine-only syntax written directly in them.

Engine differences live in adapter-dispatched macros (macros/cross_db/) or dbt's cross-database
macros (`dbt.datediff`, `dbt.date_trunc`, `dbt.type_string`, ...). This check reads every model's
SQL with comments and Jinja removed — what a macro renders is the macro's business — and fails
on any construct from the list below, naming the file, the line and the portable alternative.
A second test proves every pattern fires on an example, so the list cannot rot silently. And
every relation a build creates — models, seeds and unit tests (dbt names a unit test's relation
after it, uncut) — fits PostgreSQL's 63-character identifier limit.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MODELS_DIR = PROJECT_ROOT / "models"
ANALYSES_DIR = PROJECT_ROOT / "analyses"

# (pattern, what to write instead, an example the pattern must catch)
ENGINE_ONLY: list[tuple[str, str, str]] = [
    (r"::", "cast(x as type) or a dbt.type_* macro", "amount::decimal(18, 2)"),
    (r"\biff\s*\(", "case when … then … else … end", "iff(is_won, 1, 0)"),
    (r"\bif\s*\(", "case when … then … else … end", "if(is_won, 1, 0)"),
    (r"\bnvl2?\s*\(", "coalesce(…)", "nvl(amount, 0)"),
    (r"\bifnull\s*\(", "coalesce(…)", "ifnull(amount, 0)"),
    (r"\bdate_?diff\s*\(", "{{ dbt.datediff(a, b, 'day') }}", "date_diff('day', a, b)"),
    (r"\bdate_?add\s*\(|\bdate_sub\s*\(", "{{ dbt.dateadd('day', n, x) }}", "date_add(d, 1)"),
    (r"\bdate_trunc\s*\(", "{{ dbt.date_trunc('month', x) }}", "date_trunc('month', d)"),
    (r"\blast_day\s*\(", "{{ dbt.last_day(x, 'month') }}", "last_day(d)"),
    (
        r"\bstrftime\s*\(|\bstrptime\s*\(",
        "dbt.cast / parse_date / parse_timestamp",
        "strftime(d, '%Y')",
    ),
    (r"\bdate_format\s*\(|\bto_char\s*\(", "extract(…) and dbt.concat", "to_char(d, 'YYYY')"),
    (r"\bto_timestamp\s*\(|\bto_date\s*\(", "parse_timestamp / parse_date", "to_date(x)"),
    (
        r"\bregexp_\w+\s*\(|\brlike\b|\bsimilar\s+to\b",
        "matches_pattern(column, pattern)",
        "regexp_matches(x, 'a')",
    ),
    (
        r"\blist_\w+\s*\(|\barray_\w+\s*\(|\bunnest\s*\(",
        "plain joins / union all",
        "list_value(1, 2)",
    ),
    (
        r"\bstruct_pack\s*\(|\bnamed_struct\s*\(|\bto_json\s*\(|\bjson_object\s*\(|\bjson_build_object\s*\(",
        "raw_values_json(columns)",
        "struct_pack(a := 1)",
    ),
    (r"\btry_cast\s*\(", "{{ try_cast(column, type) }}", "try_cast(x as integer)"),
    (
        r"\bcurrent_date\b|\bcurrent_timestamp\b|\bnow\s*\(|\btoday\s*\(|\bgetdate\s*\(",
        "var('as_of_date')",
        "where d <= current_date",
    ),
    (r"\bqualify\b", "a ranked CTE filtered in the next CTE", "qualify row_number() over () = 1"),
    (r"\bgroup\s+by\s+all\b|\border\s+by\s+all\b", "list the columns", "group by all"),
    (r"\bunion\s+(all\s+)?by\s+name\b", "union all with the same column list", "union by name"),
    (r"\bexclude\s*\(|\breplace\s*\(\s*\w+\s+as\b", "list the columns", "select * exclude (a)"),
    (r"\bany_value\s*\(", "min(…) or max(…)", "any_value(x)"),
    (r"\bcount_if\s*\(", "sum(case when … then 1 else 0 end)", "count_if(is_won)"),
    (
        r"\bstring_agg\s*\(|\blistagg\s*\(|\bgroup_concat\s*\(",
        "no string aggregation in models",
        "string_agg(x, ',')",
    ),
    (r"\bstarts_with\s*\(|\bends_with\s*\(", "x like 'prefix%'", "starts_with(x, 'a')"),
    (r"\blen\s*\(", "{{ dbt.length(x) }}", "len(x)"),
    (
        r"\bepoch\w*\s*\(|\bextract\s*\(\s*(epoch|dow|isodow|doy|week)\b",
        "dbt.datediff",
        "extract(epoch from t)",
    ),
    (r"\binterval\s*'", "{{ dbt.dateadd(…) }}", "d + interval '1 day'"),
    (
        r"\bas\s+(string|text|varchar|double|float8|hugeint|int64|int8|int4)\b(?!\s+precision)",
        "{{ dbt.type_string() }}, {{ type_double() }}, bigint, integer",
        "cast(x as string)",
    ),
    (r"\bilike\b", "lower(x) like …", "name ilike 'a%'"),
    (
        r"\b(un)?pivot\b",
        "conditional aggregation: max(case when … then … end)",
        "pivot cohorts on age using max(pct)",
    ),
]

_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
_STRINGS = re.compile(r"'(?:[^']|'')*'")


def strip_non_sql(text: str) -> str:
    """Drop Jinja, comments and string literals, keeping line breaks so line numbers hold."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    text = _JINJA.sub(blank, text)
    text = _COMMENTS.sub(blank, text)
    return _STRINGS.sub(lambda m: "'" + blank(m)[1:-1] + "'", text)


def violations(text: str) -> list[tuple[int, str, str]]:
    """(line number, offending text, portable alternative) for every engine-only construct."""
    found: list[tuple[int, str, str]] = []
    sql = strip_non_sql(text)
    for pattern, instead, _example in ENGINE_ONLY:
        for match in re.finditer(pattern, sql, flags=re.IGNORECASE):
            line = sql.count("\n", 0, match.start()) + 1
            found.append((line, match.group(0), instead))
    return sorted(found)


def model_files() -> list[Path]:
    return sorted([*MODELS_DIR.rglob("*.sql"), *ANALYSES_DIR.rglob("*.sql")])


def test_models_use_no_engine_only_syntax() -> None:
    report = [
        f"{path.relative_to(PROJECT_ROOT)}:{line}: `{text.strip()}` is engine-only; use {instead}"
        for path in model_files()
        for line, text, instead in violations(path.read_text(encoding="utf-8"))
    ]
    assert not report, "\n".join(report)


@pytest.mark.parametrize(("pattern", "instead", "example"), ENGINE_ONLY)
def test_each_pattern_catches_its_example(pattern: str, instead: str, example: str) -> None:
    assert violations(f"select\n    {example}\nfrom t\n"), f"{pattern!r} misses {example!r}"


def test_jinja_comments_and_strings_are_not_flagged() -> None:
    text = (
        "-- one row per rep that qualify: now() and current_date are never read\n"
        "{# try_cast(x as integer) #}\n"
        "select {{ try_cast('amount', 'integer') }}, {{ dbt.datediff('a', 'b', 'day') }},\n"
        "    'group by all' as label\n"
        "from t\n"
    )
    assert violations(text) == []


POSTGRES_IDENTIFIER_LIMIT = 63


def relation_names() -> list[str]:
    """Model and seed file names, and every unit test's name."""
    names = [path.stem for path in MODELS_DIR.rglob("*.sql")]
    names += [path.stem for path in (PROJECT_ROOT / "seeds").rglob("*.csv")]
    for path in MODELS_DIR.rglob("*.yml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names += [str(test["name"]) for test in document.get("unit_tests") or []]
    return names


def test_relation_names_fit_postgres_identifiers() -> None:
    names = relation_names()
    too_long = [f"{name} ({len(name)})" for name in names if len(name) > POSTGRES_IDENTIFIER_LIMIT]
    assert names and not too_long, (
        f"longer than PostgreSQL's {POSTGRES_IDENTIFIER_LIMIT} characters (the build fails there):"
        f" {too_long}"
    )
