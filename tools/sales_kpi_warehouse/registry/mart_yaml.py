"""One mart YAML file: the KPI meta of its models' columns and its KPI metrics."""

from __future__ import annotations

from .column_meta import model_edits
from .metrics import metric_edits
from .model import Kpi
from .yaml_edit import Edit, apply, child, compose, mappings, text_of


def mart_yaml(text: str, kpis: list[Kpi], where: str) -> str:
    document = compose(text, where)
    if document is None:
        return text
    edits: list[Edit] = []
    for model in mappings(child(document, "models")):
        edits += model_edits(text, model, kpis, where)
    by_metric = {kpi.metric: kpi for kpi in kpis if kpi.metric}
    for metric in mappings(child(document, "metrics")):
        kpi = by_metric.get(text_of(child(metric, "name")))
        if kpi is not None:
            edits += metric_edits(text, metric, kpi, where)
    return apply(text, edits)
