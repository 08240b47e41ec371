"""The dashboard's own words in English and Japanese; KPI names come from dim_kpi instead."""

from __future__ import annotations

from sales_kpi_warehouse.dashboard.formatting import Lang

LANGUAGE_NAMES: dict[Lang, str] = {"en": "English", "ja": "日本語"}

TEXT: dict[str, tuple[str, str]] = {
    # frame and filters
    "app_title": ("Sales KPI dashboard", "営業KPIダッシュボード"),
    "language": ("Language / 言語", "Language / 言語"),
    "grain": ("Period grain", "期間の単位"),
    "grain.month": ("Month", "月次"),
    "grain.fiscal_quarter": ("Fiscal quarter", "四半期（会計年度）"),
    "grain.fiscal_year": ("Fiscal year", "会計年度"),
    "period": ("Period", "期間"),
    "in_progress": ("in progress", "進行中"),
    "team": ("Team", "チーム"),
    "rep": ("Rep", "営業担当者"),
    "all_teams": ("All teams (company)", "全チーム（全社）"),
    "all_reps": ("All reps", "全担当者"),
    "money_in": ("Money in {code} ({symbol})", "金額の通貨: {code}（{symbol}）"),
    "warehouse": ("Warehouse: `{path}`", "ウェアハウス: `{path}`"),
    # pages
    "page.overview": ("Overview", "概要"),
    "page.team": ("Team performance", "チームパフォーマンス"),
    "page.leads": ("Leads", "リード"),
    "page.growth": ("Growth", "成長"),
    "page.customer": ("Customer", "カスタマー"),
    "page.planning": ("Planning", "計画（KGI逆算）"),
    # shared
    "no_data": (
        "No data for {scope} in {period}.",
        "{period} の {scope} のデータはありません。",
    ),
    "no_data_short": ("No data", "データなし"),
    "scope_company": ("company", "全社"),
    "scope_team": ("team", "チーム"),
    "scope_rep": ("rep", "担当者"),
    "scope_segment": ("segment", "セグメント"),
    "scope_region": ("region", "地域"),
    "showing": ("{period} · {scope}", "{period} · {scope}"),
    "scope_fallback": (
        "{what} is not measured per {wanted}; showing {shown}.",
        "{what} は{wanted}単位では集計されていないため、{shown} を表示しています。",
    ),
    "vs_previous": ("vs {period}", "{period} 比"),
    "no_previous": ("No previous period to compare with.", "比較する前期間がありません。"),
    "numerator": ("Numerator", "分子"),
    "denominator": ("Denominator", "分母"),
    "previous_value": ("Previous ({period})", "前期間（{period}）"),
    "incomplete": (
        "{period} is still in progress (the data runs to the as-of date).",
        "{period} は進行中です（as-of 日までのデータ）。",
    ),
    "period_axis": ("Period", "期間"),
    "value": ("Value", "値"),
    # overview
    "headline": ("Headline KPIs", "主要KPI"),
    "alerts": ("Alerts that fired", "発生したアラート"),
    "no_alerts": ("No alert fired in {period}.", "{period} に発生したアラートはありません。"),
    "alerts_summary": (
        "{critical} critical, {warning} warning",
        "重大 {critical} 件、警告 {warning} 件",
    ),
    "severity": ("Severity", "重要度"),
    "severity.critical": ("critical", "重大"),
    "severity.warning": ("warning", "警告"),
    "kpi": ("KPI", "KPI"),
    "entity": ("Entity", "対象"),
    "scope": ("Scope", "スコープ"),
    "threshold": ("Threshold", "しきい値"),
    "revenue_vs_target": ("Won revenue vs target", "売上実績と目標"),
    # team performance
    "compare_by": ("Compare", "比較の単位"),
    "by_rep": ("Reps", "担当者別"),
    "by_team": ("Teams", "チーム別"),
    "attainment": ("Quota attainment", "ノルマ達成率"),
    "win_rate_deal_size": ("Win rate and deal size", "勝率と取引サイズ"),
    "activity": ("Activity", "活動量"),
    "selling_time": ("Selling time", "販売時間"),
    "target_line": ("100% of quota", "ノルマ100%"),
    "scorecard": ("Scorecard", "スコアカード"),
    "product": ("Product", "製品"),
    "all_products": ("All products", "全製品"),
    "deals_won": ("Deals won", "受注件数"),
    "deals_won_help": (
        "Deals of this product won in the period (kpi_team_performance_products.deals_won).",
        "期間中に受注したこの製品の案件数（kpi_team_performance_products.deals_won）。",
    ),
    "product_scorecard": ("Scorecard: {product}", "スコアカード: {product}"),
    "product_win_rate_deal_size": (
        "Win rate and deal size: {product}",
        "勝率と取引サイズ: {product}",
    ),
    "product_note": (
        "Quota attainment, activity and selling time are not measured per product: choose "
        "“All products” to see them.",
        "ノルマ達成率・活動量・販売時間は製品別には集計されていません。「全製品」を選ぶと表示されます。",
    ),
    # leads
    "lead_funnel": ("Lead → customer funnel by source", "リードソース別ファネル（リード→顧客）"),
    "lead_funnel_note": (
        "Leads created in the period and what they became by the as-of date (company-wide).",
        "期間中に作成されたリードとas-of日までの転換（全社）。",
    ),
    "stage.leads": ("Leads", "リード"),
    "stage.opportunities": ("Opportunities", "商談"),
    "stage.customers": ("Customers", "顧客"),
    "lead_source": ("Lead source", "リードソース"),
    "contact_open_rates": ("Contact and email open rates", "接続率と開封率"),
    # growth
    "revenue_trend": ("Revenue and growth", "売上と成長率"),
    "funnel_leakage": ("Funnel stage leakage and days in stage", "ファネルのリーケージと滞留日数"),
    "stage": ("Stage", "ステージ"),
    "pipeline_coverage_trend": ("Pipeline coverage", "パイプラインカバレッジ"),
    "coverage_note": (
        "Open pipeline ÷ quota still to win; no value once the period's quota is met.",
        "オープンパイプライン ÷ 残りのノルマ。ノルマ達成済みの期間は値なし。",
    ),
    "conversion_by_source": ("Conversion by lead source", "リードソース別の転換率"),
    "daily_pipeline": ("Daily open pipeline", "日次パイプライン"),
    "open_deals": ("Open deals", "オープン案件数"),
    # customer
    "customer_scope": ("Customer scope", "顧客の区分"),
    "customer_note": (
        "Customer KPIs are measured for the company, customer segments and regions; the team "
        "and rep filters do not apply here.",
        "カスタマーKPIは全社・セグメント・地域単位です。チームと担当者のフィルターは適用されません。",
    ),
    "retention_trend": ("Retention and churn", "顧客維持率と解約率"),
    "cohort_triangle": ("Cohort retention (acquisition month × months since)", "コホート継続率"),
    "cohort": ("Cohort", "コホート"),
    "months_since": ("Months since acquisition", "獲得からの月数"),
    "retained_of": ("retained {retained} of {customers}", "{customers} 社中 {retained} 社継続"),
    # planning
    "kgi": ("KGI: revenue goal vs won revenue", "KGI: 売上目標と実績"),
    "revenue_goal": ("Revenue goal (KGI)", "売上目標（KGI）"),
    "goal_attainment": ("Goal attainment %", "目標達成率"),
    "goal_gap": ("Gap to goal", "目標との差"),
    "back_calculation": ("KGI back-calculation vs actual", "KGIからの逆算と実績"),
    "required": ("Required", "必要数"),
    "actual": ("Actual", "実績"),
    "gap": ("Gap", "差"),
    "actual_vs_required": ("Actual as % of required", "必要数に対する実績の割合"),
    "trailing_rates": (
        "Trailing {months}-month rates used",
        "逆算に使った直近{months}か月の実績率",
    ),
    "chain": (
        "Goal ÷ average deal size = deals; ÷ win rate = opportunities; ÷ lead → opportunity rate "
        "= leads; ÷ leads per connected call ÷ contact rate = calls.",
        "目標 ÷ 平均取引サイズ = 必要受注数、÷ 勝率 = 必要商談数、÷ 商談化率 = 必要リード数、"
        "÷ 接続あたりリード数 ÷ 接続率 = 必要架電数。",
    ),
    "measure": ("Measure", "指標"),
    # errors
    "exposed_title": (
        "The dashboard only serves this machine",
        "ダッシュボードはこのマシンからのみ利用できます",
    ),
    "exposed": (
        "This server listens on {address}, which other machines can reach, so no data is "
        "shown. Stop it and start it with `make dashboard`, or add `--server.address "
        "127.0.0.1` to `streamlit run` (and unset `STREAMLIT_SERVER_ADDRESS`).",
        "このサーバーは他のマシンから接続できる {address} で待ち受けているため、データを表示"
        "しません。停止して `make dashboard` で起動するか、`streamlit run` に `--server.address "
        "127.0.0.1` を付けてください（`STREAMLIT_SERVER_ADDRESS` は解除）。",
    ),
    "error_title": ("The dashboard cannot read the warehouse", "ウェアハウスを読み込めません"),
    "missing_marts": (
        "`{path}` has no {marts} in schema `main_marts`. Run `make build` first (a full "
        "`dbt build` creates every mart), or point SKW_WAREHOUSE at a warehouse that has them.",
        "`{path}` のスキーマ `main_marts` に {marts} がありません。先に `make build` を実行して"
        "ください（`dbt build` ですべてのマートが作成されます）。",
    ),
    "no_periods": (
        "`{path}` has no KPI rows yet (kpi_team_performance is empty). Run `make build` with "
        "data that has deals.",
        "`{path}` にKPIの行がありません。案件データを含めて `make build` を実行してください。",
    ),
}


def text(key: str, lang: Lang, **values: object) -> str:
    """The UI text `key` in `lang`, with `{placeholders}` filled in."""
    english, japanese = TEXT[key]
    template = japanese if lang == "ja" else english
    return template.format(**values) if values else template
