"""Entry point of the KPI dashboard: `make dashboard`, or

    PYTHONPATH=tools .venv/bin/streamlit run tools/sales_kpi_warehouse/dashboard/app.py

The sidebar holds the language toggle, the page menu and the filters (period grain, period, team,
rep); each page (sales_kpi_warehouse.dashboard.views) draws one KPI family for that selection.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st
from streamlit import config

from sales_kpi_warehouse.dashboard import queries, settings
from sales_kpi_warehouse.dashboard.context import Context, sidebar
from sales_kpi_warehouse.dashboard.formatting import LANGS, Lang
from sales_kpi_warehouse.dashboard.i18n import LANGUAGE_NAMES, text
from sales_kpi_warehouse.dashboard.safe import safe_text
from sales_kpi_warehouse.dashboard.views import customer, growth, leads, overview, planning, team

View = Callable[[Context], None]
# url path, title key, view, icon
PAGES: tuple[tuple[str, str, View, str], ...] = (
    ("overview", "page.overview", overview.render, ":material/dashboard:"),
    ("team", "page.team", team.render, ":material/groups:"),
    ("leads", "page.leads", leads.render, ":material/contact_phone:"),
    ("growth", "page.growth", growth.render, ":material/trending_up:"),
    ("customer", "page.customer", customer.render, ":material/handshake:"),
    ("planning", "page.planning", planning.render, ":material/flag:"),
)


def language() -> Lang:
    chosen: Lang = st.sidebar.segmented_control(
        text("language", "en"),
        LANGS,
        default="en",
        required=True,
        format_func=lambda value: LANGUAGE_NAMES[value],
        key="lang",
    )
    return chosen


def load(lang: Lang, source: queries.WarehouseFile) -> Context:
    """Check the warehouse's marts and draw the filters; DashboardError says what is wrong."""
    missing = queries.missing_marts(source)
    if missing:
        raise queries.DashboardError(
            text(
                "missing_marts", lang, path=source.path, marts=", ".join(f"`{m}`" for m in missing)
            )
        )
    return sidebar(source, lang, settings.reporting_currency())


def error_page(lang: Lang, message: str, title_key: str = "error_title") -> None:
    st.title(text("app_title", lang))
    st.error(f"**{text(title_key, lang)}**\n\n{message}", icon=":material/error:")


def exposed_address() -> str | None:
    """The address the server listens on when other machines can reach it; None when it is a
    loopback one. `.streamlit/config.toml` next to this file sets 127.0.0.1 wherever the app is
    started from; a `--server.address` flag or STREAMLIT_SERVER_ADDRESS can still override it."""
    address = config.get_option("server.address")
    if settings.is_loopback(address):
        return None
    return str(address) if address else "0.0.0.0 / ::"


def main() -> None:
    st.set_page_config(
        page_title=text("app_title", "en"), page_icon=":material/monitoring:", layout="wide"
    )
    lang = language()
    exposed = exposed_address()
    if exposed is not None:
        error_page(lang, text("exposed", lang, address=safe_text(exposed)), "exposed_title")
        return
    try:
        source = queries.open_warehouse(settings.warehouse_path())
    except queries.DashboardError as error:
        error_page(lang, str(error))
        return
    with queries.run_session(source):
        try:
            ctx = load(lang, source)
        except queries.DashboardError as error:
            error_page(lang, str(error))
            return
        page = st.navigation(
            [
                st.Page(
                    partial(view, ctx),
                    title=text(title_key, lang),
                    icon=icon,
                    url_path=url_path,
                    default=url_path == "overview",
                )
                for url_path, title_key, view, icon in PAGES
            ]
        )
        try:
            page.run()
        except queries.DashboardError as error:
            error_page(lang, str(error))


main()
