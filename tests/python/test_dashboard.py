"""The KPI dashboard in a real browser: the Streamlit app served on a free local port against the
demo marts, driven through headless Chromium (Debian's `chromium`, via Playwright).

- every page renders in English and Japanese without an exception;
- each headline number on the overview equals the value queried from its mart with DuckDB;
- changing a filter (team, grain) changes the numbers, to the values of the new selection;
- the team page's product filter shows the product's numbers of kpi_team_performance_products;
- the numerator and denominator of a rate are on its hover text;
- a selection without data says "No data" instead of failing.

Screenshots land in artifacts/screenshots/ and the app's start time in
artifacts/dashboard_timings.json. The demo is built by the session fixture `demo_warehouse`
(conftest.py); only its marts are copied into the file the app reads, which proves the app needs
nothing else. Chromium missing: the tests skip, unless SKW_BROWSER_REQUIRED=1 (set by `make test`)
or CI is set — then they fail, so CI cannot go green without the browser test.
"""

from __future__ import annotations

import json
import math
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import PROJECT_ROOT, Warehouse
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from sales_kpi_warehouse.dashboard.views.overview import HEADLINE_KPIS

pytestmark = pytest.mark.browser

REQUIRED = os.environ.get("SKW_BROWSER_REQUIRED") == "1" or bool(os.environ.get("CI"))
CHROMIUM = Path(os.environ.get("SKW_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
APP = PROJECT_ROOT / "tools" / "sales_kpi_warehouse" / "dashboard" / "app.py"
ARTIFACTS = PROJECT_ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
TIMEOUT_MS = 90_000
START_TIMEOUT_S = 120
PAGES = ("overview", "team", "leads", "growth", "customer", "planning")
PAGE_TITLES = {
    "en": ("Overview", "Team performance", "Leads", "Growth", "Customer", "Planning"),
    "ja": ("概要", "チームパフォーマンス", "リード", "成長", "カスタマー", "計画（KGI逆算）"),
}
SCALES = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12, "万": 1e4, "億": 1e8, "兆": 1e12}


def unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"the browser test is required (SKW_BROWSER_REQUIRED=1 or CI) but {reason}")
    pytest.skip(reason)


# ---- the app under test ------------------------------------------------------------------


def copy_marts(connection: duckdb.DuckDBPyConnection, catalog: str, target: Path) -> None:
    """Copy the tables of `catalog`.main_marts, and nothing else, into a new DuckDB file."""
    assert "'" not in str(target) and '"' not in catalog
    tables = [
        str(name)
        for (name,) in connection.execute(
            "select table_name from information_schema.tables where table_catalog = $catalog "
            "and table_schema = 'main_marts' and table_type in ('BASE TABLE', 'VIEW') order by 1",
            {"catalog": catalog},
        ).fetchall()
    ]
    assert tables, f"no marts in {catalog}"
    connection.execute(f"attach '{target}' as dashboard")
    connection.execute("create schema dashboard.main_marts")
    for table in tables:
        connection.execute(
            f'create table dashboard.main_marts."{table}" '
            f'as select * from "{catalog}".main_marts."{table}"'
        )
    connection.execute("detach dashboard")


def copy_from(warehouse: Path, target: Path) -> Path:
    assert "'" not in str(warehouse)
    with duckdb.connect() as connection:
        connection.execute(f"attach '{warehouse}' as built (read_only)")
        copy_marts(connection, "built", target)
    return target


@pytest.fixture(scope="module")
def marts_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's marts in a file of their own. $SKW_DASHBOARD_TEST_WAREHOUSE names a warehouse
    already built (e.g. by `make build`) to copy them from instead of building the demo here."""
    target = tmp_path_factory.mktemp("dashboard") / "marts.duckdb"
    prebuilt = os.environ.get("SKW_DASHBOARD_TEST_WAREHOUSE")
    if prebuilt:
        return copy_from(Path(prebuilt), target)
    demo: Warehouse = request.getfixturevalue("demo_warehouse")
    return copy_from(demo.path, target)


def mart_query(path: Path, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql, params or {}).fetchall()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"{CHROMIUM} is missing: run `make browser` (scripts/chromium.sh ensure)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Dashboard:
    url: str
    warehouse: Path
    timings: dict[str, float] = field(default_factory=dict)


def wait_rendered(page: Page, text: str | None = None) -> None:
    """Wait until the script run is over (and `text`, when given, is on the page)."""
    if text is not None:
        page.get_by_text(text, exact=True).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-stale=\"true\"]').length === 0",
        timeout=TIMEOUT_MS,
    )


@pytest.fixture(scope="module")
def dashboard(
    marts_file: Path, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Dashboard]:
    """`streamlit run` on a free port against the marts; stopped whatever the tests do."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {
        **os.environ,
        "SKW_WAREHOUSE": str(marts_file),
        "PYTHONPATH": str(PROJECT_ROOT / "tools"),
    }
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    started = time.monotonic()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        while not healthy(url):
            if process.poll() is not None:
                pytest.fail(f"streamlit exited ({process.returncode}):\n{log_path.read_text()}")
            if time.monotonic() - started > START_TIMEOUT_S:
                log_text = log_path.read_text()
                pytest.fail(f"streamlit not healthy after {START_TIMEOUT_S} s:\n{log_text}")
            time.sleep(0.1)
        health = time.monotonic()
        page = browser.new_page()
        page.goto(url)
        wait_rendered(page)
        page.get_by_test_id("stMetricValue").first.wait_for(timeout=TIMEOUT_MS)
        rendered = time.monotonic()
        page.close()
        timings = {
            "process_start_to_health_s": round(health - started, 2),
            "health_to_first_page_s": round(rendered - health, 2),
            "process_start_to_first_page_s": round(rendered - started, 2),
        }
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "dashboard_timings.json").write_text(json.dumps(timings, indent=2) + "\n")
        yield Dashboard(url, marts_file, timings)
    finally:
        stop(process)


@pytest.fixture
def page(browser: Browser, dashboard: Dashboard) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    tab.goto(dashboard.url)
    wait_rendered(tab)
    try:
        yield tab
    finally:
        context.close()


# ---- reading and driving the page --------------------------------------------------------


def exceptions(page: Page) -> list[str]:
    return page.get_by_test_id("stException").all_inner_texts()


def metrics(page: Page) -> dict[str, str]:
    """Metric label → value as shown, once the script run is over and the cards are drawn."""
    wait_rendered(page)
    page.get_by_test_id("stMetricValue").first.wait_for(timeout=TIMEOUT_MS)
    shown = {}
    for metric in page.get_by_test_id("stMetric").all():
        label = metric.get_by_test_id("stMetricLabel").inner_text().strip()
        shown[label] = metric.get_by_test_id("stMetricValue").inner_text().strip()
    return shown


def parse_shown(text: str) -> tuple[float, float] | None:
    """A displayed number and the rounding it was shown with: `¥2.65億` → (2.65e8, 0.005e8);
    None for `—` (NULL)."""
    match = re.search(r"(-?)[^\d-]*([\d,]+(?:\.(\d+))?)\s*([KMBT万億兆]?)", text)
    if text.strip() == "—" or match is None:
        return None
    sign, digits, decimals, scale = match.groups()
    factor = SCALES.get(scale, 1.0)
    number = float(digits.replace(",", "")) * factor * (-1 if sign else 1)
    return number, 0.5 * 10 ** -len(decimals or "") * factor


def assert_shows(text: str, expected: float | None, what: str) -> None:
    shown = parse_shown(text)
    if expected is None:
        assert shown is None, f"{what}: shows {text!r}, the mart has NULL"
        return
    assert shown is not None, f"{what}: shows {text!r}, the mart has {expected}"
    number, rounding = shown
    assert math.isclose(number, expected, abs_tol=rounding * 1.0001 + 1e-9), (
        f"{what}: shows {text!r}, the mart has {expected}"
    )


def choose(page: Page, label: str, option: str, then: str | None = None) -> None:
    """Pick `option` in the selectbox labelled `label`, and wait for the rerun."""
    label_element = page.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True)
    page.get_by_test_id("stSelectbox").filter(has=label_element).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    wait_rendered(page, then)


def click_choice(page: Page, name: str, then: str | None = None) -> None:
    """Click a segmented-control choice (language, grain) and wait for the rerun."""
    page.get_by_role("radio", name=name, exact=True).click()
    wait_rendered(page, then)


def screenshot(page: Page, name: str) -> None:
    """The whole page (Streamlit scrolls inside its main block, so grow the viewport to it)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMainBlockContainer\"]').scrollHeight"
    )
    page.set_viewport_size({"width": 1500, "height": int(height) + 160})
    page.wait_for_timeout(500)  # plotly charts re-layout to the new size
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    page.set_viewport_size({"width": 1500, "height": 1100})


# ---- what the marts say --------------------------------------------------------------------


def default_period(path: Path) -> tuple[Any, str]:
    """The overview's default: the latest complete fiscal quarter."""
    rows = mart_query(
        path,
        """select period_start, period_label from main_marts.kpi_team_performance
        where period_grain = 'fiscal_quarter' and scope = 'company' and is_complete_period
        order by period_start desc limit 1""",
    )
    return rows[0]


def headline_expectations(
    path: Path, grain: str, period_start: Any, scopes: dict[str, tuple[str, str]]
) -> dict[str, float | None]:
    """English name → mart value of each headline KPI; `scopes` maps a mart to (scope, id)."""
    catalogue = {
        kpi_id: (name, mart, column)
        for kpi_id, name, mart, column in mart_query(
            path, "select kpi_id, name_en, mart, value_column from main_marts.dim_kpi"
        )
    }
    expected: dict[str, float | None] = {}
    for kpi_id in HEADLINE_KPIS:
        name, mart, column = catalogue[kpi_id]
        scope, scope_id = scopes.get(mart, ("company", "company"))
        assert re.fullmatch(r"[a-z_]+", f"{mart}{column}"), (mart, column)
        rows = mart_query(
            path,
            f"""select {column} from main_marts.{mart}
            where period_grain = $grain and period_start = $start
                and scope = $scope and scope_id = $scope_id""",
            {"grain": grain, "start": period_start, "scope": scope, "scope_id": scope_id},
        )
        expected[name] = None if not rows or rows[0][0] is None else float(rows[0][0])
    return expected


def assert_headlines(page: Page, expected: dict[str, float | None], context: str) -> dict[str, str]:
    shown = metrics(page)
    for name, value in expected.items():
        assert name in shown, f"{context}: no metric {name!r} on the overview (has {list(shown)})"
        assert_shows(shown[name], value, f"{context} · {name}")
    return shown


# ---- the tests ----------------------------------------------------------------------------


def test_every_page_renders_in_both_languages(page: Page, dashboard: Dashboard) -> None:
    for lang, titles in PAGE_TITLES.items():
        if lang == "ja":
            click_choice(page, "日本語", then=titles[0])
        nav = page.get_by_test_id("stSidebarNav")
        for path, title in zip(PAGES, titles, strict=True):
            nav.get_by_role("link", name=title).click()
            page.get_by_test_id("stHeading").filter(has_text=title).first.wait_for()
            wait_rendered(page)
            assert not exceptions(page), f"{path} ({lang}) shows an exception:\n{exceptions(page)}"
            # the idle marker can show before the page's script run starts: wait for a KPI
            try:
                page.get_by_test_id("stMetric").first.wait_for(timeout=TIMEOUT_MS)
            except PlaywrightTimeoutError:
                pytest.fail(f"{path} ({lang}) has no KPI")
            page.get_by_test_id("stPlotlyChart").first.wait_for()  # every page has a chart
            screenshot(page, path if lang == "en" else f"{path}_{lang}")
    assert dashboard.timings["process_start_to_first_page_s"] > 0


def test_overview_headlines_equal_the_marts(page: Page, dashboard: Dashboard) -> None:
    start, label = default_period(dashboard.warehouse)
    page.get_by_text(f"{label} · company", exact=True).wait_for()
    expected = headline_expectations(dashboard.warehouse, "fiscal_quarter", start, {})
    assert any(value is not None for value in expected.values())
    assert_headlines(page, expected, f"{label} company")
    assert not exceptions(page)


def test_rate_hover_shows_numerator_and_denominator(page: Page, dashboard: Dashboard) -> None:
    start, _ = default_period(dashboard.warehouse)
    ((won, closed),) = mart_query(
        dashboard.warehouse,
        """select deals_won, deals_closed from main_marts.kpi_team_performance
        where period_grain = 'fiscal_quarter' and period_start = $start and scope = 'company'""",
        {"start": start},
    )
    win_rate = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text("Win rate %", exact=True)
    )
    win_rate.get_by_test_id("stTooltipIcon").hover()
    tooltip = page.get_by_test_id("stTooltipContent").first
    tooltip.wait_for()
    text = tooltip.inner_text()
    assert f"Numerator: deals won = {won:,}" in text, text
    assert f"Denominator: deals closed = {closed:,}" in text, text


def test_changing_filters_changes_the_numbers(page: Page, dashboard: Dashboard) -> None:
    path = dashboard.warehouse
    start, label = default_period(path)
    company = metrics(page)
    ((team_id, team_name),) = mart_query(
        path,
        """select scope_id, scope_name from main_marts.kpi_team_performance
        where period_grain = 'fiscal_quarter' and period_start = $start and scope = 'team'
        order by won_revenue desc, scope_id limit 1""",
        {"start": start},
    )
    choose(page, "Team", team_name, then=f"{label} · team {team_name}")
    team_marts = ("kpi_team_performance", "kpi_leads", "kpi_growth")
    team_scopes = dict.fromkeys(team_marts, ("team", team_id))
    team = assert_headlines(
        page,
        headline_expectations(path, "fiscal_quarter", start, team_scopes),
        f"{label} team {team_name}",
    )
    assert team["Won revenue"] != company["Won revenue"], "the team filter changed nothing"

    click_choice(page, "Month")
    ((month_start, month_label),) = mart_query(
        path,
        """select period_start, period_label from main_marts.kpi_team_performance
        where period_grain = 'month' and scope = 'company' and is_complete_period
        order by period_start desc limit 1""",
    )
    page.get_by_text(f"{month_label} · team {team_name}", exact=True).wait_for()
    month = assert_headlines(
        page,
        headline_expectations(path, "month", month_start, team_scopes),
        f"{month_label} team {team_name}",
    )
    assert month != team, "the grain filter changed nothing"
    assert not exceptions(page)
    screenshot(page, "overview_filtered")


def test_a_selection_without_data_says_so(page: Page, dashboard: Dashboard) -> None:
    path = dashboard.warehouse
    rows = mart_query(
        path,
        """select periods.period_label, reps.scope_name
        from main_marts.kpi_team_performance as periods
        cross join (select distinct scope_id, scope_name from main_marts.dim_kpi_scope
                    where scope = 'rep') as reps
        where periods.period_grain = 'fiscal_quarter' and periods.scope = 'company'
            and periods.is_complete_period
            and not exists (
                select 1 from main_marts.kpi_team_performance as rows
                where rows.period_grain = 'fiscal_quarter' and rows.scope = 'rep'
                    and rows.scope_id = reps.scope_id and rows.period_start = periods.period_start)
        order by periods.period_start, reps.scope_name limit 1""",
    )
    if not rows:
        pytest.skip("every rep has a row in every fiscal quarter of this warehouse")
    ((period_label, rep_name),) = rows
    choose(page, "Period", period_label, then=f"{period_label} · company")
    choose(page, "Rep", rep_name, then=f"{period_label} · rep {rep_name}")
    assert page.get_by_text(f"No data for rep {rep_name} in {period_label}.").count() > 0
    assert not exceptions(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Team performance").click()
    # the header and the message are on the overview too: wait for the team page's own select
    wait_rendered(page, "Product")
    wait_rendered(page, f"{period_label} · rep {rep_name}")
    assert page.get_by_text(f"No data for rep {rep_name} in {period_label}.").count() > 0
    assert not exceptions(page)
    screenshot(page, "team_no_data")


def test_team_page_product_filter_shows_the_product(page: Page, dashboard: Dashboard) -> None:
    path = dashboard.warehouse
    start, label = default_period(path)
    ((name, won_revenue, win_rate, deal_size, deals_won),) = mart_query(
        path,
        """select product_name, won_revenue, win_rate_pct, average_deal_size, deals_won
        from main_marts.kpi_team_performance_products
        where period_grain = 'fiscal_quarter' and period_start = $start and scope = 'company'
            and product_id <> '(unknown)'
        order by deals_closed desc, product_id limit 1""",
        {"start": start},
    )
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Team performance").click()
    wait_rendered(page, "Scorecard")
    every_product = metrics(page)
    choose(page, "Product", name, then=f"Scorecard: {name}")
    shown = metrics(page)
    assert len(shown) == 4, shown
    for metric, value in (
        ("Won revenue", won_revenue),
        ("Win rate %", win_rate),
        ("Average deal size", deal_size),
        ("Deals won", deals_won),
    ):
        expected = None if value is None else float(value)
        assert_shows(shown[metric], expected, f"{label} company {name} · {metric}")
    assert shown["Won revenue"] != every_product["Won revenue"], "the product filter did nothing"
    assert not exceptions(page)
    screenshot(page, "team_product")
