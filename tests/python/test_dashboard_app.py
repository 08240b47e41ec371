"""The dashboard without a browser: number formatting, settings, and the error page a user sees
when the warehouse is missing or lacks the marts (run in-process with Streamlit's AppTest)."""

from __future__ import annotations

import ipaddress
import json
import math
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from sales_kpi_warehouse.dashboard import queries, settings
from sales_kpi_warehouse.dashboard.formatting import (
    column_unit,
    compact_money,
    format_delta,
    format_value,
    to_float,
)
from sales_kpi_warehouse.dashboard.safe import (
    CELL_CHARS,
    ELLIPSIS,
    LABEL_CHARS,
    plain_text,
    safe_html,
    safe_text,
)
from sales_kpi_warehouse.dashboard.settings import currency_for

APP = PROJECT_ROOT / "tools" / "sales_kpi_warehouse" / "dashboard" / "app.py"
PAGES = ("overview", "team", "leads", "growth", "customer", "planning")
YEN = currency_for("JPY")


@pytest.mark.parametrize(
    ("value", "unit", "lang", "shown"),
    [
        (265082032.4, "money", "en", "¥265,082,032"),
        (-5712464, "money", "en", "-¥5,712,464"),
        (34.6154, "pct", "en", "34.6%"),
        (4.3999, "ratio", "en", "4.40×"),
        (4.3999, "ratio", "ja", "4.40倍"),
        (72.31, "days", "en", "72.3 days"),
        (72.31, "days", "ja", "72.3日"),
        (12.25, "hours", "en", "12.2 h"),
        (1150, "count", "en", "1,150"),
        (67.18, "count", "en", "67.2"),
        (None, "pct", "en", "—"),
        (math.nan, "money", "en", "—"),
    ],
)
def test_format_value(value: object, unit: str, lang: str, shown: str) -> None:
    assert format_value(value, unit, YEN, lang) == shown  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "english", "japanese"),
    [
        (265082032, "265M", "2.65億"),
        (3681695, "3.68M", "368万"),
        (1001809801, "1.00B", "10.0億"),
        (10602124, "10.6M", "1,060万"),
        (999_600_000, "1.00B", "10.0億"),
        (999_999, "1.00M", "100万"),
        (9_999, None, "1.00万"),
        (999, None, None),
    ],
)
def test_compact_money(amount: float, english: str | None, japanese: str | None) -> None:
    assert compact_money(amount, "en") == english
    assert compact_money(amount, "ja") == japanese


def test_format_delta_is_signed_and_in_points_for_rates() -> None:
    assert format_delta(2.14, "pct", YEN) == "+2.1 pt"
    assert format_delta(-308606, "money", YEN) == "-¥308,606"
    assert format_delta(-5712464, "money", YEN, compact=True) == "-¥5.71M"
    assert format_delta(5712464, "money", YEN, "ja", compact=True) == "+¥571万"
    assert format_delta(0, "count", YEN) == "±0"
    assert format_delta(None, "pct", YEN) is None


def test_to_float_treats_sql_nulls_and_non_numbers_as_missing() -> None:
    assert to_float(None) is None
    assert to_float(math.nan) is None
    assert to_float("12") is None
    assert to_float(True) is None
    assert to_float(12) == 12.0


def test_money_columns_are_recognised() -> None:
    money = ["won_revenue", "revenue_target", "open_pipeline", "remaining_quota", "revenue_goal"]
    counts = ["deals_won", "deals_won_target", "reps_with_quota", "new_accounts_target"]
    assert [column_unit(column) for column in money] == ["money"] * len(money)
    assert [column_unit(column) for column in counts] == ["count"] * len(counts)


def test_currency_comes_from_the_dbt_project_unless_overridden(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(settings.CURRENCY_ENV, raising=False)
    assert settings.project_var("reporting_currency") == "JPY"
    assert settings.reporting_currency() == settings.Currency("JPY", "¥")
    monkeypatch.setenv(settings.CURRENCY_ENV, "usd")
    assert settings.reporting_currency() == settings.Currency("USD", "$")
    assert currency_for("CHF").symbol == "CHF "


def test_warehouse_path_defaults_to_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.WAREHOUSE_ENV, raising=False)
    assert settings.warehouse_path() == PROJECT_ROOT / "warehouse.duckdb"
    monkeypatch.setenv(settings.WAREHOUSE_ENV, "/data/other.duckdb")
    assert settings.warehouse_path() == Path("/data/other.duckdb")


@pytest.fixture(autouse=True)
def served_on_loopback() -> Iterator[None]:
    """AppTest has no server: run the app as if `streamlit run` listened on 127.0.0.1 (the app
    shows no data on any other address)."""
    with patch_config_options({"server.address": "127.0.0.1"}):
        yield


def run_app(
    monkeypatch: pytest.MonkeyPatch, warehouse: Path, server_address: str = "127.0.0.1"
) -> AppTest:
    """The app run once in-process, as served on `server_address`."""
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(warehouse))
    app = AppTest.from_file(str(APP), default_timeout=60)
    with patch_config_options({"server.address": server_address}):
        app.run()
    return app


def test_a_missing_warehouse_says_run_make_build(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app = run_app(monkeypatch, tmp_path / "absent.duckdb")
    assert not app.exception
    assert len(app.error) == 1
    assert "Run `make build` first" in app.error[0].value
    assert str(tmp_path / "absent.duckdb") in app.error[0].value


def test_a_warehouse_without_marts_lists_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.duckdb"
    with duckdb.connect(str(empty)) as connection:
        connection.execute("create schema main_marts")
        connection.execute("create table main_marts.dim_kpi (kpi_id varchar)")
    app = run_app(monkeypatch, empty)
    assert not app.exception
    assert len(app.error) == 1
    message = app.error[0].value
    assert "Run `make build` first" in message
    for mart in queries.REQUIRED_MARTS:
        assert (f"`{mart}`" in message) == (mart != "dim_kpi"), mart


# ---- hostile data (issue "Nothing lost, nothing silent", cases 13, 14 and 16) ---------------

LINK = "[click](http://evil.example) ![x](http://evil.example/x.png)"
SCRIPT = "<script>alert(1)</script> <a href='http://evil.example'>a</a> **bold** :red[red] $x^2$"
HUGE = "<b>" + "x" * 1_000_000  # 1 MB
EVIL = "evil.example"
# The most a value may cost the browser: a label plus escapes, or a bounded hover text.
MAX_SHOWN_CHARS = 4_000


def test_safe_text_escapes_markdown_and_html() -> None:
    assert safe_text(LINK) == (
        r"\[click\]\(http\:\/\/evil\.example\) \!\[x\]\(http\:\/\/evil\.example\/x\.png\)"
    )
    script = safe_text(SCRIPT, CELL_CHARS)
    assert "<" not in script.replace(r"\<", "") and "**" not in script
    assert r"\<script\>" in script and r"\:red\[red\]" in script and r"\$x\^2\$" in script
    assert safe_text("Riku Shimizu") == "Riku Shimizu"
    assert safe_text("line\nbreak\r\n# heading") == r"line break  \# heading"


def test_safe_html_escapes_plotly_markup() -> None:
    assert safe_html("<a href='http://evil.example'>x</a> & <br>") == (
        "&lt;a href=&#x27;http://evil.example&#x27;&gt;x&lt;/a&gt; &amp; &lt;br&gt;"
    )


@pytest.mark.parametrize("shorten", [plain_text, safe_text, safe_html])
def test_long_values_are_cut_with_an_ellipsis(shorten: Callable[..., str]) -> None:
    assert shorten("x" * 1_000_000) == "x" * (LABEL_CHARS - 1) + ELLIPSIS
    assert shorten("y" * LABEL_CHARS) == "y" * LABEL_CHARS
    assert shorten("z" * 50, max_chars=10) == "z" * 9 + ELLIPSIS
    assert len(plain_text(HUGE, CELL_CHARS)) == CELL_CHARS


def copy_marts(warehouse: Path, target: Path) -> None:
    """The tables of main_marts, and nothing else, in a new DuckDB file."""
    assert "'" not in str(warehouse) + str(target)
    with duckdb.connect() as connection:
        connection.execute(f"attach '{warehouse}' as built (read_only)")
        connection.execute(f"attach '{target}' as copied")
        connection.execute("create schema copied.main_marts")
        tables = connection.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'built' and table_schema = 'main_marts'"
        ).fetchall()
        for (table,) in tables:
            connection.execute(
                f'create table copied.main_marts."{table}" as '
                f'select * from built.main_marts."{table}"'
            )


def hostile_names(target: Path) -> dict[str, dict[str, str]]:
    """Give two teams, three reps (the first 1 MB long), a lead source and a funnel stage hostile
    names in every mart that holds them; return scope → scope_id → new name."""
    with duckdb.connect(str(target)) as connection:
        teams = [row[0] for row in connection.execute(SCOPE_IDS, {"scope": "team"}).fetchall()]
        reps = [row[0] for row in connection.execute(SCOPE_IDS, {"scope": "rep"}).fetchall()]
        names = {
            "team": {teams[0]: LINK, teams[1]: SCRIPT},
            "rep": {reps[0]: HUGE, reps[1]: LINK, reps[2]: SCRIPT},
        }
        tables = connection.execute(
            "select table_name from information_schema.columns "
            "where table_schema = 'main_marts' and column_name = $column",
            {"column": "scope_name"},
        ).fetchall()
        for (table,) in tables:
            for scope, renamed in names.items():
                for scope_id, name in renamed.items():
                    connection.execute(
                        f'update main_marts."{table}" set scope_name = $name '
                        "where scope = $scope and scope_id = $scope_id",
                        {"name": name, "scope": scope, "scope_id": scope_id},
                    )
        source = connection.execute(
            "select min(lead_source) from main_marts.kpi_leads_lead_sources"
        ).fetchone()
        for table in ("kpi_leads_lead_sources", "kpi_growth_lead_sources"):
            connection.execute(
                f"update main_marts.{table} set lead_source = $name where lead_source = $old",
                {"name": SCRIPT, "old": source[0] if source else None},
            )
        stage = connection.execute(
            "select min(stage) from main_marts.kpi_growth_funnel_stages"
        ).fetchone()
        for table in ("kpi_growth_funnel_stages", "fct_pipeline_daily_v2"):
            connection.execute(
                f"update main_marts.{table} set stage = $name where stage = $old",
                {"name": LINK, "old": stage[0] if stage else None},
            )
    return names


SCOPE_IDS = "select scope_id from main_marts.dim_kpi_scope where scope = $scope order by 1"


@pytest.fixture(scope="module")
def hostile_warehouse(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, dict[str, str]]]:
    """The demo's marts with hostile rep, team, lead source and stage names.
    $SKW_DASHBOARD_TEST_WAREHOUSE names a warehouse already built to copy them from."""
    prebuilt = os.environ.get("SKW_DASHBOARD_TEST_WAREHOUSE")
    built = Path(prebuilt) if prebuilt else request.getfixturevalue("demo_warehouse").path
    target = tmp_path_factory.mktemp("hostile") / "marts.duckdb"
    copy_marts(built, target)
    return target, hostile_names(target)


def open_page(app: AppTest, url_path: str) -> AppTest:
    """Switch to a page of st.navigation by its url_path. The pages are callables, which
    AppTest.switch_page (file pages only) cannot address: set the page hash it would set. The
    default page (overview) is registered under the empty url path."""
    wanted = "" if url_path == PAGES[0] else url_path
    hashes = [
        page_hash
        for page_hash, info in app._registered_pages.items()
        if info.get("url_pathname") == wanted
    ]
    assert len(hashes) == 1, f"no page {url_path!r} in {app._registered_pages}"
    app._page_hash = hashes[0]
    return app.run()


def markdown_texts(app: AppTest) -> list[str]:
    """Every text the app sent to the browser as Markdown (outside charts and tables)."""
    texts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success"):
        texts += [str(getattr(element, "value", "")) for element in app.get(kind)]
    for metric in app.metric:
        texts += [metric.label, metric.proto.help]
    return texts


def plain_texts(app: AppTest) -> list[str]:
    """The texts the browser shows as they are: select options, delta descriptions."""
    texts = [str(metric.proto.delta_description) for metric in app.metric]
    for box in app.selectbox:
        texts += [str(option) for option in box.options]
    return texts


def chart_strings(app: AppTest) -> list[str]:
    """Every string of every Plotly figure sent (the spec is JSON with `<` as `\\u003c`)."""
    strings: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            strings.append(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key != "bdata":  # numbers as base64
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for element in app.get("plotly_chart"):
        walk(json.loads(element.proto.spec))
    return strings


# Markup of the hostile names not preceded by the backslash that makes it literal.
UNESCAPED = re.compile(r"(?<!\\)(\[click|\]\(|<script|<a |\*\*bold|:red|\$x)")


def assert_shown_literally(app: AppTest, where: str) -> None:
    assert not app.exception, f"{where}: {app.exception}"
    for text in plain_texts(app):
        assert len(text) <= LABEL_CHARS, f"{where}: {len(text)} characters: {text[:120]}…"
    for text in markdown_texts(app):
        assert len(text) <= MAX_SHOWN_CHARS, f"{where}: {len(text)} characters: {text[:120]}…"
        assert not UNESCAPED.search(text), f"{where}: markup reaches Markdown: {text[:200]}"
    for text in chart_strings(app):
        assert len(text) <= MAX_SHOWN_CHARS, f"{where}: {len(text)} characters: {text[:120]}…"
        assert "<script" not in text and "<a " not in text and "<b>xxx" not in text, (
            f"{where}: markup reaches a chart unescaped: {text[:200]}"
        )


@pytest.mark.parametrize("scope", ["team", "rep"])
def test_hostile_names_render_literally_and_short_on_every_page(
    monkeypatch: pytest.MonkeyPatch,
    hostile_warehouse: tuple[Path, dict[str, dict[str, str]]],
    scope: str,
) -> None:
    path, names = hostile_warehouse
    app = run_app(monkeypatch, path)
    assert_shown_literally(app, "overview, nothing selected")
    options = app.selectbox(key="team").options + app.selectbox(key="rep").options
    assert safe_text(LINK) not in options, "select options are plain text: no escapes"
    assert plain_text(LINK) in options and plain_text(HUGE) in options
    for scope_id, name in names[scope].items():
        if name == HUGE:
            continue
        app.selectbox(key=scope).set_value(scope_id).run()
        shown: list[str] = []
        for url_path in PAGES:
            assert_shown_literally(open_page(app, url_path), f"{url_path} page, {scope} {name!r}")
            shown += markdown_texts(app)
            if url_path == "team":  # every rep on the charts: the hostile ones shown escaped
                assert any(safe_html(SCRIPT) in text for text in chart_strings(app))
                assert any(safe_html(HUGE) in text for text in chart_strings(app))
        assert any(safe_text(name) in text for text in shown), f"{name!r} is never shown"
    app.selectbox(key="team").set_value("").run()
    app.selectbox(key="rep").set_value(next(iter(names["rep"]))).run()
    for url_path in PAGES:
        assert_shown_literally(open_page(app, url_path), f"{url_path} page, 1 MB rep name")


# ---- the server binds a loopback address wherever it is started from (case 16) -------------


def listening_addresses(port: int) -> set[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The local addresses with a TCP socket listening on `port` (Linux /proc/net/tcp{,6})."""
    found: set[ipaddress.IPv4Address | ipaddress.IPv6Address] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).is_file():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state != "0A" or int(port_hex, 16) != port:  # 0A: LISTEN
                continue
            # each 32-bit word is in host (little-endian) byte order
            raw = b"".join(bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, 32, 8))
            found.add(ipaddress.ip_address(raw[: len(address) // 2]))
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.skipif(not Path("/proc/net/tcp").is_file(), reason="needs Linux /proc/net/tcp")
def test_streamlit_run_from_another_folder_listens_on_loopback_only(tmp_path: Path) -> None:
    """`streamlit run /abs/path/app.py` from a folder without .streamlit/, with a HOME without
    one and no STREAMLIT_* variables, still listens on 127.0.0.1 only."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env.update(HOME=str(tmp_path), SKW_WAREHOUSE=str(tmp_path / "absent.duckdb"))
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port)]
    log = tmp_path / "streamlit.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while not (addresses := listening_addresses(port)):
            assert process.poll() is None, f"streamlit exited:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"nothing listens on {port}:\n{log.read_text()}"
            time.sleep(0.2)
        time.sleep(0.5)  # a second socket (IPv6) would be bound right after the first
        addresses = listening_addresses(port)
        assert addresses, log.read_text()
        assert all(address.is_loopback for address in addresses), (
            f"streamlit listens on {sorted(map(str, addresses))}, reachable from other machines"
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.parametrize("address", ["0.0.0.0", "::", "", "192.0.2.10"])
def test_a_server_reachable_from_other_machines_shows_no_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, address: str
) -> None:
    """Started with --server.address 0.0.0.0 (or STREAMLIT_SERVER_ADDRESS): an error page that
    says how to start it, and no warehouse is opened."""
    opened: list[Path] = []
    monkeypatch.setattr(queries, "open_warehouse", opened.append)
    app = run_app(monkeypatch, tmp_path / "absent.duckdb", server_address=address)
    assert not app.exception
    assert len(app.error) == 1 and "make dashboard" in app.error[0].value
    assert opened == []


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_addresses_are_accepted(address: str) -> None:
    assert settings.is_loopback(address)


@pytest.mark.parametrize("address", [None, "", "0.0.0.0", "::", "10.0.0.1", "example.com"])
def test_other_addresses_are_refused(address: str | None) -> None:
    assert not settings.is_loopback(address)


# ---- the product filter of the team page (issue 23) ----------------------------------------


@pytest.fixture(scope="module")
def demo_marts(request: pytest.FixtureRequest) -> Path:
    """The demo warehouse ($SKW_DASHBOARD_TEST_WAREHOUSE, else the session's demo build)."""
    prebuilt = os.environ.get("SKW_DASHBOARD_TEST_WAREHOUSE")
    return Path(prebuilt) if prebuilt else Path(request.getfixturevalue("demo_warehouse").path)


PRODUCT_COLUMNS = ("deals_won", "deals_closed", "won_revenue", "win_rate_pct", "average_deal_size")
LATEST_QUARTER = (
    "select max(period_start) from main_marts.kpi_team_performance where scope = 'company' "
    "and period_grain = 'fiscal_quarter' and is_complete_period"
)


def mart_row(path: Path, mart: str, where: str, params: dict[str, object]) -> dict[str, object]:
    with duckdb.connect(str(path), read_only=True) as connection:
        frame = connection.execute(
            f"select {', '.join(PRODUCT_COLUMNS)} from main_marts.{mart} where {where}", params
        ).df()
    assert len(frame) == 1, f"{mart} where {where} {params}: {len(frame)} rows"
    return {str(key): value for key, value in frame.to_dict("records")[0].items()}


def test_product_queries_equal_the_mart_and_add_up_to_all_products(demo_marts: Path) -> None:
    """queries.product_rows of each product are the rows of kpi_team_performance_products, and
    summed over the products they are the "All products" row of kpi_team_performance."""
    source = queries.open_warehouse(demo_marts)
    products = list(queries.products(source)["product_id"])
    assert "(unknown)" in products and products[-1] == "(unknown)" and len(products) >= 3
    with duckdb.connect(str(demo_marts), read_only=True) as connection:
        ((start,),) = connection.execute(LATEST_QUARTER).fetchall()
        ((team,),) = connection.execute(
            "select min(scope_id) from main_marts.kpi_team_performance where scope = 'team' "
            "and scope_id <> '(unknown)'"
        ).fetchall()
    for scope, scope_id in (("company", "company"), ("team", team)):
        key = {"grain": "fiscal_quarter", "start": start, "scope": scope, "scope_id": scope_id}
        where = "period_grain = $grain and period_start = $start and scope = $scope"
        where += " and scope_id = $scope_id"
        totals = dict.fromkeys(("deals_won", "deals_closed", "won_revenue"), 0.0)
        for product in products:
            frame = queries.product_rows(
                source,
                grain="fiscal_quarter",
                starts=(start,),
                scope=scope,
                scope_id=scope_id,
                product_id=product,
            )
            if frame.empty:  # a team need not sell every product
                continue
            shown = {c: to_float(frame.iloc[0][c]) for c in PRODUCT_COLUMNS}
            expected = mart_row(
                demo_marts,
                "kpi_team_performance_products",
                f"{where} and product_id = $product_id",
                {**key, "product_id": product},
            )
            assert shown == {c: to_float(expected[c]) for c in PRODUCT_COLUMNS}, (scope, product)
            for column in totals:
                totals[column] += shown[column] or 0.0
        everything = mart_row(demo_marts, "kpi_team_performance", where, key)
        assert totals["deals_closed"] > 0, (scope, scope_id)
        for column, total in totals.items():
            assert total == pytest.approx(to_float(everything[column]), abs=0.01), (scope, column)


def shown_metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: str(metric.value) for metric in app.metric}


# The scorecard metrics compared: column → (English label from dim_kpi, unit).
SCORECARD = {
    "won_revenue": ("Won revenue", "money"),
    "win_rate_pct": ("Win rate %", "pct"),
    "average_deal_size": ("Average deal size", "money"),
}


def scorecard_of(row: dict[str, object]) -> dict[str, str]:
    """The scorecard metrics as the page shows them for a mart row (label → compact value)."""
    return {
        safe_text(label): format_value(row[column], unit, YEN, "en", compact=True)  # type: ignore[arg-type]
        for column, (label, unit) in SCORECARD.items()
    }


def test_team_page_product_filter_shows_the_product_mart(
    monkeypatch: pytest.MonkeyPatch, demo_marts: Path
) -> None:
    """ "All products" is the team page as before (kpi_team_performance); a product shows its
    won revenue, win rate, deal size and deals won from kpi_team_performance_products."""
    app = open_page(run_app(monkeypatch, demo_marts), "team")
    assert not app.exception
    with duckdb.connect(str(demo_marts), read_only=True) as connection:
        ((start,),) = connection.execute(LATEST_QUARTER).fetchall()
        product, name = connection.execute(
            "select product_id, product_name from main_marts.kpi_team_performance_products "
            "where scope = 'company' and period_grain = 'fiscal_quarter' and period_start = $start"
            " and product_id <> '(unknown)' order by deals_closed desc, product_id limit 1",
            {"start": start},
        ).fetchone() or ("", "")
    where = "period_grain = 'fiscal_quarter' and period_start = $start and scope = 'company'"
    everything = mart_row(demo_marts, "kpi_team_performance", where, {"start": start})
    metrics = shown_metrics(app)
    assert app.selectbox(key="team_product").value == ""
    assert len(app.metric) == 12 and scorecard_of(everything).items() <= metrics.items(), metrics

    app.selectbox(key="team_product").set_value(product).run()
    assert not app.exception
    row = mart_row(
        demo_marts,
        "kpi_team_performance_products",
        f"{where} and product_id = $product",
        {"start": start, "product": product},
    )
    metrics = shown_metrics(app)
    assert len(app.metric) == 4 and scorecard_of(row).items() <= metrics.items(), metrics
    assert metrics["Deals won"] == format_value(row["deals_won"], "count", YEN, "en")
    assert scorecard_of(row) != scorecard_of(everything)
    assert any(name in str(header.value) for header in app.subheader)
