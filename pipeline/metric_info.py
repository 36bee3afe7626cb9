"""What each metric allows and which way is better, and the result scores that can be compared.

The metric table is data (`pipeline/data/metrics.csv`); this module reads it and turns the claims
table into comparable result scores: one value per claim on the metric's own scale (a bare 0.87
accuracy and "87%" are the same number), the dataset name normalized, baselines' and cited numbers
left out. Frontiers and claim checks both start from these rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from pipeline import vocab
from pipeline.evidence import sentence_bounds

METRICS_FILE = "metrics.csv"
COLUMNS = [
    vocab.Column("metric", vocab.text),
    vocab.Column("higher_is_better", vocab.boolean),
    vocab.Column("min", vocab.number, required=False),
    vocab.Column("max", vocab.number, required=False),
    vocab.Column("unit", vocab.text, required=False),
    vocab.Column("scale", vocab.choice("linear", "log")),
    vocab.Column("quality", vocab.boolean),
    vocab.Column("names", vocab.text, required=False),
]
PERCENT = "%"
_TOP_K_AFTER_RE = re.compile(r"(?i)\s*(?:\\?%)?\s*top[- ]?(\d+)\b")
_TOP_K_BEFORE_RE = re.compile(r"(?i)\btop[- ]?(\d+)\b[^\d]{0,30}$")
# The columns of `result_scores`: the claim's identity and evidence, then the comparable value.
SCORE_COLUMNS = ["paper_id", "start", "end", "text", "kind", "metric", "dataset", "dataset_name", "value", "unit",
                 "higher_is_better", "quality", "scale", "sentence_start", "sentence_end"]


@dataclass(frozen=True)
class MetricInfo:
    metric: str
    higher_is_better: bool
    min: float | None
    max: float | None
    unit: str | None  # None: a metric the table does not know, compared in the unit each claim states
    scale: str
    quality: bool
    names: tuple[str, ...] = ()

    @cached_property
    def mention_re(self) -> re.Pattern[str]:
        """Where a text names the metric: acronyms (FID, AP) as written, words in any case."""
        forms = sorted({self.metric, *self.names}, key=len, reverse=True)
        parts = [re.escape(f) if _is_acronym(f) else f"(?i:{re.escape(f)})" for f in forms]
        return re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})(?!\w)")

    def named_in(self, text: str) -> bool:
        return bool(self.mention_re.search(text))

    def comparable_value(self, value: float, unit: str) -> float | None:
        """The value on the metric's own scale, or None when the claim's unit is not the metric's.

        Shares are compared in percent: a bare value of at most 1 is a fraction (AUC 0.91 = 91 %),
        a larger bare value a percentage written without its sign (accuracy 85.3).
        """
        if self.unit is None or unit == self.unit:
            return value
        if unit == "" and self.unit == PERCENT:
            return round(value * 100, 9) if abs(value) <= 1 else value
        if unit == "" and self.unit:  # a physical unit left unwritten ("PSNR of 31.2")
            return value
        return None

    def allows(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def bounds(self) -> str:
        """The allowed range in words, for a check's explanation."""
        unit = self.unit_suffix()
        if self.min is not None and self.max is not None:
            return f"between {self.min:g}{unit} and {self.max:g}{unit}"
        if self.min is not None:
            return f"at least {self.min:g}{unit}"
        return f"at most {self.max:g}{unit}" if self.max is not None else "any value"


    def unit_suffix(self) -> str:
        return unit_suffix(self.unit)


def unit_suffix(unit: str | None) -> str:
    """A unit as written after a number: '%', ' dB', or nothing."""
    if not unit:
        return ""
    return unit if unit == PERCENT else f" {unit}"


def describe(metric: object, higher_is_better: object, metrics: dict[str, MetricInfo]) -> MetricInfo | None:
    """What is known of a claim's metric: its row of the table, else what the claim itself says.

    A metric the table does not list yet (the extractor learns new ones) still counts as a quality
    metric when the claim states its direction, without a range, compared within each unit.
    """
    if not isinstance(metric, str):
        return None
    if metric in metrics:
        return metrics[metric]
    if higher_is_better is None or pd.isna(higher_is_better):
        return None
    return MetricInfo(metric, bool(higher_is_better), None, None, None, "linear", True)


def parse_metrics(content: str, source: str) -> dict[str, MetricInfo]:
    """The metric table from CSV text; raises VocabularyError naming the line of any bad row."""
    table: dict[str, MetricInfo] = {}
    for line, row in vocab.read_rows(content, source, COLUMNS):
        names = tuple(n.strip() for n in str(row["names"] or "").split("|") if n.strip())
        info = MetricInfo(**{**row, "unit": row["unit"] or "", "names": names})
        if info.metric in table:
            raise vocab.VocabularyError(f"{source}:{line}: metric {info.metric!r} is listed twice")
        if info.min is not None and info.max is not None and info.min > info.max:
            raise vocab.VocabularyError(f"{source}:{line}: min {info.min:g} is above max {info.max:g}")
        if info.scale == "log" and (info.min is None or info.min < 0):
            raise vocab.VocabularyError(f"{source}:{line}: a log-scale metric needs min >= 0")
        table[info.metric] = info
    return table


@lru_cache(maxsize=1)
def metric_table() -> dict[str, MetricInfo]:
    """The packaged metric table, read once per process."""
    return parse_metrics(*vocab.packaged(METRICS_FILE))


def result_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """The paper's own numbers: `role == "result"` once the extractor records roles.

    Until then (no `role` column, or a stored table from before it where every role is null),
    every claim counts as the paper's own.
    """
    if "role" not in claims.columns or claims["role"].isna().all():
        return claims
    return claims[claims["role"] == "result"]


def result_scores(claims: pd.DataFrame, papers: pd.DataFrame, dataset_names: dict[str, str],
                  metrics: dict[str, MetricInfo] | None = None) -> pd.DataFrame:
    """Result score claims whose metric's direction is known, valued on the metric's scale.

    `dataset_names` maps each extracted dataset name to its normalized one
    (:func:`pipeline.datasets.dataset_aliases`); `unit`, `higher_is_better`, `quality` and `scale`
    come from the metric table (or, for a metric it does not list, from the claim). A top-k
    variant keeps its k in the metric's name ("top-5 accuracy"), and every row gets the offsets of
    its sentence.
    """
    metrics = metric_table() if metrics is None else metrics
    scores = result_claims(claims)
    scores = scores[(scores["kind"] == "score") & scores["value"].notna()]
    infos = [describe(m, h, metrics) for m, h in zip(scores["metric"], scores["higher_is_better"])]
    known = np.array([info is not None for info in infos], dtype=bool)
    scores, infos = scores[known], [info for info in infos if info is not None]
    if scores.empty:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    units = ["" if pd.isna(u) else str(u) for u in scores["unit"]]
    values = [info.comparable_value(float(v), u) for info, v, u in zip(infos, scores["value"], units)]
    abstracts = papers.set_index("paper_id")["abstract"]
    texts = [str(abstracts.get(p, "") or "") for p in scores["paper_id"]]
    starts, ends = scores["start"].astype(int).tolist(), scores["end"].astype(int).tolist()
    bounds = [sentence_bounds(text, a, b, sa, sb) for text, a, b, sa, sb in
              zip(texts, starts, ends, _column(scores, "sentence_start"), _column(scores, "sentence_end"))]
    out = pd.DataFrame({
        "paper_id": scores["paper_id"].to_numpy(),
        "start": starts,
        "end": ends,
        "text": scores["text"].to_numpy(),
        "kind": scores["kind"].to_numpy(),
        "metric": [metric_variant(text, a, b, info.metric) for text, a, b, info in zip(texts, starts, ends, infos)],
        "dataset": scores["dataset"].map(dataset_names).to_numpy(),
        "dataset_name": scores["dataset"].to_numpy(),
        "value": np.array([np.nan if v is None else v for v in values], dtype=float),
        "unit": [u if info.unit is None else info.unit for info, u in zip(infos, units)],
        "higher_is_better": [info.higher_is_better for info in infos],
        "quality": [info.quality for info in infos],
        "scale": [info.scale for info in infos],
        "sentence_start": [lo for lo, _ in bounds],
        "sentence_end": [hi for _, hi in bounds],
    })
    return out[out["value"].notna()].reset_index(drop=True)


def metric_variant(abstract: str, start: int, end: int, metric: str) -> str:
    """The metric with its top-k when the number carries one other than 1 ("97.1% top-5", "top-5
    accuracy of 95.78%"): top-5 accuracy is a different, easier metric than accuracy (top-1)."""
    after = _TOP_K_AFTER_RE.match(abstract, end)
    before = _TOP_K_BEFORE_RE.search(abstract, max(0, start - 40), start)
    k = int((after or before).group(1)) if (after or before) else 1
    return metric if k == 1 or metric.startswith("top-") else f"top-{k} {metric}"


def _is_acronym(name: str) -> bool:
    """FID, AP, mAP, WER: two capitals in a row; such names are matched in their own case."""
    return bool(re.search(r"[A-Z]{2}", name))


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A column the claims contract adds later (sentence offsets): null until then."""
    return frame[name].to_numpy() if name in frame.columns else np.full(len(frame), None)

