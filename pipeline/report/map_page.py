"""The interactive map (`map.html`): one self-contained file that works offline and without WebGL.

The page code lives in package files (`static/map.js`, `static/map.css`, `templates/map.html.j2`);
this module only turns the tables into the data the page reads. Scraped strings are data, never
markup: they travel inside a packed blob or JSON with `<` escaped, and the page writes them with
`textContent`.

Titles and abstracts are shown cleaned (`map_text`: "2.3×", not "$2.3\\times$"), with the claims'
raw offsets mapped onto the cleaned text, and packed (`map_pack`) into a UTF-16 file: 16-bit
characters carry the deflated data at 15.9 bits each, where one-byte UTF-8 characters carry 7.
The packed characters are the same whatever the file's encoding: saved as UTF-8 the page still
works, only half as large again.
"""

from __future__ import annotations

import json
import math
from importlib import resources

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from pipeline.claims.text import sentences
from pipeline.safety import safe_href
from pipeline.report.map_pack import SAFE_RANGES, encode_texts, pack
from pipeline.report.map_text import DisplayText, display_text
from pipeline.report.maps import dense_centres
from pipeline.report.style import theme_color
from pipeline.trends import largest_speedup_per_paper

COORDINATE_STEPS = 65535  # positions quantized to 16 bits: under a pixel at 40x zoom on a 1600 px map
PAGE_ENCODING = "utf-16"  # with a byte order mark, which browsers honour over any server's charset
_BLANKS = str.maketrans({c: " " for c in "\n\r\t\f\v\x00\u2028\u2029"})  # same length: offsets hold
_AREA_COLUMNS = (("area_id", "area_label"), ("parent_id", "parent_label"))


def map_page_html(papers: pd.DataFrame, themes: pd.DataFrame, claims: pd.DataFrame,
                  periods: pd.DataFrame, unit: str) -> str:
    """The whole page; `periods` and `unit` are `trends.paper_periods`' (the date filter's values)."""
    order = _paper_order(papers)
    papers = papers.iloc[order].reset_index(drop=True)
    abstracts = [display_text(_blank(text)) for text in _column(papers, "abstract")]
    titles = [display_text(_blank(text)).text for text in papers["title"]]
    columns = json.dumps(paper_columns(papers, claims, periods, abstracts), ensure_ascii=False,
                         separators=(",", ":")).encode("utf-8")
    columns_packed = pack(columns)
    texts_packed = pack(encode_texts([t for pair in zip(titles, (a.text for a in abstracts)) for t in pair]))
    return _environment().get_template("map.html.j2").render(
        meta=_script_json({**page_meta(papers, themes, claims, periods, unit), "packing": {"ranges": SAFE_RANGES}}),
        columns=Markup(columns_packed.chars), columns_bytes=columns_packed.n_bytes,
        texts=Markup(texts_packed.chars), texts_bytes=texts_packed.n_bytes,
        script=Markup(_static("map.js")),
        style=Markup(_static("map.css")),
        n_papers=len(papers),
    )


def map_page_bytes(papers: pd.DataFrame, themes: pd.DataFrame, claims: pd.DataFrame,
                   periods: pd.DataFrame, unit: str) -> bytes:
    """The file `map.html`: the page in `PAGE_ENCODING`."""
    return map_page_html(papers, themes, claims, periods, unit).encode(PAGE_ENCODING)


# --------------------------------------------------------------------------- data


def page_meta(papers: pd.DataFrame, themes: pd.DataFrame, claims: pd.DataFrame,
              periods: pd.DataFrame, unit: str) -> dict:
    """What the page needs before the papers: themes and areas with their centres, dates, counts."""
    centres = dense_centres(papers) if len(papers) else pd.DataFrame(columns=["x", "y"])
    low, span = _bounds(papers)
    areas = _areas(themes)
    theme_rows = []
    for theme in themes.sort_values("theme_id").itertuples(index=False):
        tid = int(theme.theme_id)
        cx, cy = centres.loc[tid] if tid in centres.index else (np.nan, np.nan)
        theme_rows.append({
            "id": tid, "label": _text(theme.label), "keywords": _text(theme.keywords),
            "size": int(theme.size), "color": theme_color(tid),
            "x": _quantize(cx, low[0], span), "y": _quantize(cy, low[1], span),
            "area": areas.get(tid),
        })
    return {
        "n_papers": len(papers),
        "themes": theme_rows,
        "areas": _area_rows(areas, themes, papers, low, span),
        "dates": {"unit": unit, "values": _date_values(periods)},
        "has_speedups": bool(not claims.empty and not largest_speedup_per_paper(claims).empty),
    }


def paper_columns(papers: pd.DataFrame, claims: pd.DataFrame, periods: pd.DataFrame,
                  abstracts: list[DisplayText]) -> dict:
    """One list per field, row i being paper i of the page (and of `abstracts`, the texts shown):
    columnar JSON deflates best."""
    low, span = _bounds(papers)
    dates = _date_values(periods)
    index = {value: i for i, value in enumerate(dates)}
    by_paper = periods.groupby("paper_id")["period"].agg(list) if len(periods) else pd.Series(dtype=object)
    speedups = (papers["paper_id"].map(largest_speedup_per_paper(claims)) if not claims.empty
                else pd.Series(np.nan, index=papers.index))
    return {
        "paper_id": papers["paper_id"].astype(str).tolist(),
        "x": [_quantize(v, low[0], span) for v in papers["x"]],
        "y": [_quantize(v, low[1], span) for v in papers["y"]],
        "theme": [int(t) if pd.notna(t) else -1 for t in papers["theme_id"]],
        "dates": [sorted(index[d] for d in by_paper.get(pid, [])) for pid in papers["paper_id"]],
        "url": [_link(u) for u in _column(papers, "url")],
        "code_url": [_link(u) for u in _column(papers, "code_url")],
        "speedup": [None if pd.isna(v) else float(v) for v in speedups],
        "claims": claim_columns(papers, claims, abstracts),
    }


CLAIM_FIELDS = ("kind", "metric", "value", "unit", "role", "sentence", "sentence_length", "offset", "length")


def claim_columns(papers: pd.DataFrame, claims: pd.DataFrame, abstracts: list[DisplayText]) -> dict:
    """The claims as one list per field (`CLAIM_FIELDS`) and `count`, how many are paper i's:
    results before baselines, then in reading order. Positions count code points in the abstract
    shown (`abstracts`): where the claim's sentence starts, its length, where the claim starts in
    it, and its length (small numbers deflate better than offsets). Without `sentence_start` and
    `sentence_end` columns the sentence is found here."""
    raw = dict(zip(papers["paper_id"], map(_text, _column(papers, "abstract"))))
    shown = dict(zip(papers["paper_id"], abstracts))
    rows: dict[str, list[tuple]] = {}
    spans: dict[str, list[tuple[int, int]]] = {}  # each abstract's sentences, split once
    has_sentences = {"sentence_start", "sentence_end"} <= set(claims.columns)
    for claim in claims.itertuples(index=False):
        pid = str(claim.paper_id)
        if pid not in raw or pd.isna(claim.start) or pd.isna(claim.end):
            continue
        start, end = int(claim.start), int(claim.end)
        if has_sentences and pd.notna(claim.sentence_start) and pd.notna(claim.sentence_end):
            s0, s1 = int(claim.sentence_start), int(claim.sentence_end)
        else:
            if pid not in spans:
                spans[pid] = sentences(raw[pid])
            s0, s1 = _sentence_around(spans[pid], start, end)
        (start, end), (s0, s1) = shown[pid].span(start, end), shown[pid].span(min(s0, start), max(s1, end))
        role = _text(getattr(claim, "role", ""))
        value = None if pd.isna(claim.value) else float(claim.value)
        rows.setdefault(pid, []).append((_text(claim.kind), _text(claim.metric), value, _text(claim.unit),
                                         role, s0, s1 - s0, start - s0, end - start))
    ordered = [sorted(rows.get(str(pid), []), key=lambda c: (c[4] == "baseline", c[5] + c[7]))
               for pid in papers["paper_id"]]
    flat = [claim for items in ordered for claim in items]
    return {"count": [len(items) for items in ordered],
            **{field: [claim[k] for claim in flat] for k, field in enumerate(CLAIM_FIELDS)}}


# --------------------------------------------------------------------------- helpers


def _paper_order(papers: pd.DataFrame) -> np.ndarray:
    """By theme, then left to right: neighbours on the map sit together in the data and share
    words, which the deflate window can then reuse."""
    theme = papers["theme_id"].fillna(-1).astype(int).to_numpy()
    return np.lexsort((papers["x"].to_numpy(dtype=float), theme))


def _bounds(papers: pd.DataFrame) -> tuple[tuple[float, float], float]:
    """Lower-left corner and one span for both axes, so quantizing keeps the map's aspect ratio."""
    if papers.empty:
        return (0.0, 0.0), 1.0
    xy = papers[["x", "y"]].to_numpy(dtype=float)
    low = np.nanmin(xy, axis=0)
    span = float(np.nanmax(np.nanmax(xy, axis=0) - low)) or 1.0
    return (float(low[0]), float(low[1])), span


def _quantize(value: float, low: float, span: float) -> int | None:
    if value is None or not math.isfinite(value):
        return None
    return int(round((float(value) - low) / span * COORDINATE_STEPS))


def _areas(themes: pd.DataFrame) -> dict[int, int]:
    """Theme id → area id, from `area_id` or (older tables) `parent_id`; empty when neither exists."""
    for id_column, _ in _AREA_COLUMNS:
        if id_column in themes.columns and themes[id_column].notna().any():
            return {int(t): int(a) for t, a in zip(themes["theme_id"], themes[id_column]) if pd.notna(a)}
    return {}


def _area_rows(areas: dict[int, int], themes: pd.DataFrame, papers: pd.DataFrame,
               low: tuple[float, float], span: float) -> list[dict]:
    """Areas that group two or more themes, named at the middle of their papers' densest patch."""
    if not areas:
        return []
    id_column, label_column = next((i, lab) for i, lab in _AREA_COLUMNS if i in themes.columns)
    labels = dict(zip(themes[id_column], themes[label_column]))
    members = pd.Series(areas).value_counts()
    area_of = papers["theme_id"].map(lambda t: areas.get(int(t)) if pd.notna(t) else None)
    grouped = papers.assign(theme_id=area_of).dropna(subset=["theme_id"])
    centres = dense_centres(grouped) if len(grouped) else pd.DataFrame(columns=["x", "y"])
    rows = []
    for area_id, n_themes in sorted(members.items()):
        if n_themes < 2 or area_id not in centres.index:
            continue
        cx, cy = centres.loc[area_id]
        rows.append({"id": int(area_id), "label": _text(labels.get(area_id)), "n_themes": int(n_themes),
                     "x": _quantize(cx, low[0], span), "y": _quantize(cy, low[1], span)})
    return rows


def _date_values(periods: pd.DataFrame) -> list[str]:
    if periods.empty:
        return []
    ordered = periods[["period", "period_order"]].drop_duplicates().sort_values(["period_order", "period"])
    return ordered["period"].astype(str).tolist()


def _sentence_around(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    for s0, s1 in spans:
        if s0 <= start < s1:
            return s0, max(s1, end)
    return start, end


def _link(value: object) -> str:
    """Only http(s) links reach the page (`safety.safe_href`): a `javascript:` or `data:` URL stays out."""
    return safe_href(value) or ""


def _column(papers: pd.DataFrame, name: str) -> pd.Series:
    return papers[name] if name in papers.columns else pd.Series("", index=papers.index)


def _blank(value: object) -> str:
    return _text(value).translate(_BLANKS)


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else str(value)


def _script_json(value: object) -> Markup:
    """JSON safe inside a <script> element: no "</script>", "<!--" or line separators can end it early."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return Markup(text)


def _static(name: str) -> str:
    return resources.files("pipeline.report").joinpath("static", name).read_text(encoding="utf-8")


def _environment() -> Environment:
    return Environment(loader=PackageLoader("pipeline.report", "templates"),
                       autoescape=select_autoescape(["html", "html.j2"]), trim_blocks=True, lstrip_blocks=True)
