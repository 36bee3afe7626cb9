"""The interactive map (`map.html`): one self-contained file that works offline and without WebGL.

The page code lives in package files (`static/map.js`, `static/map.css`, `templates/map.html.j2`);
this module only turns the tables into the data the page reads. Scraped strings are data, never
markup: they travel inside a compressed blob or JSON with `<` escaped, and the page writes them
with `textContent`.

Size is the constraint at 25k papers: the abstracts are most of the file. They are stored once,
raw (claim offsets point into them), coded as word ids against one shared vocabulary and then
deflated, which the browser undoes with its own `DecompressionStream`: about 30 % smaller than
deflating the text itself, because the 32 KB deflate window then spans twice as much text.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections import Counter
from importlib import resources

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from pipeline.claims.text import sentences
from pipeline.report.maps import dense_centres
from pipeline.report.style import theme_color
from pipeline.trends import largest_speedup_per_paper

COORDINATE_STEPS = 65535  # positions quantized to 16 bits: under a pixel at 40x zoom on a 1600 px map
_TOKEN_RE = re.compile(r"\w+ ?|[^\w]+ ?")  # a word with its trailing space, or a run of the rest
_BLANKS = str.maketrans({c: " " for c in "\n\r\t\f\v\x00\u2028\u2029"})  # same length: offsets hold
_TWO_BYTE_END = 192 + 63 * 256  # word ids below this take at most two bytes
# In a <script> element the HTML parser rewrites NUL and CR, and "<" may end it: shifted by 128.
_UNSAFE_IN_SCRIPT = ((b"\x00", b"\x80"), (b"\r", b"\x8d"), (b"<", b"\xbc"))
_AREA_COLUMNS = (("area_id", "area_label"), ("parent_id", "parent_label"))


def map_page_html(papers: pd.DataFrame, themes: pd.DataFrame, claims: pd.DataFrame,
                  periods: pd.DataFrame, unit: str) -> str:
    """The whole page; `periods` and `unit` are `trends.paper_periods`' (the date filter's values)."""
    order = _paper_order(papers)
    papers = papers.iloc[order].reset_index(drop=True)
    meta = page_meta(papers, themes, claims, periods, unit)
    texts = [_blank(t) for pair in zip(papers["title"], _column(papers, "abstract")) for t in pair]
    return _environment().get_template("map.html.j2").render(
        meta=_script_json(meta),
        columns=_encode(json.dumps(paper_columns(papers, claims, periods), ensure_ascii=False,
                                   separators=(",", ":")).encode("utf-8")),
        texts=_encode(encode_texts(texts)),
        script=Markup(_static("map.js")),
        style=Markup(_static("map.css")),
        n_papers=len(papers),
    )


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


def paper_columns(papers: pd.DataFrame, claims: pd.DataFrame, periods: pd.DataFrame) -> dict:
    """One list per field, row i being paper i of the page: columnar JSON deflates best."""
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
        "claims": claim_lists(papers, claims),
    }


def claim_lists(papers: pd.DataFrame, claims: pd.DataFrame) -> list[list[list]]:
    """Per paper, its claims as [kind, metric, value, unit, role, sentence start, sentence end,
    start, end] (offsets into its raw abstract, in code points); results before baselines, then in
    reading order. Without `sentence_start`/`sentence_end` columns the sentence is found here."""
    abstracts = dict(zip(papers["paper_id"], _column(papers, "abstract")))
    rows: dict[str, list[list]] = {}
    spans: dict[str, list[tuple[int, int]]] = {}  # each abstract's sentences, split once
    has_sentences = {"sentence_start", "sentence_end"} <= set(claims.columns)
    for claim in claims.itertuples(index=False):
        pid = str(claim.paper_id)
        if pid not in abstracts or pd.isna(claim.start) or pd.isna(claim.end):
            continue
        start, end = int(claim.start), int(claim.end)
        if has_sentences and pd.notna(claim.sentence_start) and pd.notna(claim.sentence_end):
            s0, s1 = int(claim.sentence_start), int(claim.sentence_end)
        else:
            if pid not in spans:
                spans[pid] = sentences(abstracts[pid])
            s0, s1 = _sentence_around(spans[pid], start, end)
        role = _text(getattr(claim, "role", ""))
        value = None if pd.isna(claim.value) else float(claim.value)
        rows.setdefault(pid, []).append([_text(claim.kind), _text(claim.metric), value, _text(claim.unit),
                                         role, min(s0, start), max(s1, end), start, end])
    for items in rows.values():
        items.sort(key=lambda c: (c[4] == "baseline", c[7]))
    return [rows.get(str(pid), []) for pid in papers["paper_id"]]


def encode_texts(texts: list[str]) -> bytes:
    """Texts as word ids: a little-endian uint32 vocabulary length, the vocabulary joined by NUL
    (most frequent first; id 0 ends a text), then each id in 1 byte (< 192), 2 bytes (< 16,576)
    or 4 bytes. `static/map.js` `decodeTexts` reads it back."""
    tokens = [_TOKEN_RE.findall(text) for text in texts]
    counts = Counter(token for text in tokens for token in text)
    vocab = [""] + [token for token, _ in counts.most_common()]
    index = {token: i for i, token in enumerate(vocab)}
    ids = np.array([index[token] for text in tokens for token in (*text, "")], dtype=np.int64)
    words = "\x00".join(vocab).encode("utf-8")
    return len(words).to_bytes(4, "little") + words + _id_bytes(ids).tobytes()


def _id_bytes(ids: np.ndarray) -> np.ndarray:
    """Ids < 192 as one byte; then 192 + high, low; then 255 and three bytes."""
    two, four = (ids >= 192) & (ids < _TWO_BYTE_END), ids >= _TWO_BYTE_END
    sizes = np.where(four, 4, np.where(two, 2, 1))
    at = np.cumsum(sizes) - sizes
    out = np.empty(int(sizes.sum()), dtype=np.uint8)
    out[at[~two & ~four]] = ids[~two & ~four]
    rest = ids[two] - 192
    out[at[two]], out[at[two] + 1] = 192 + (rest >> 8), rest & 255
    rest = ids[four] - _TWO_BYTE_END
    out[at[four]], out[at[four] + 1], out[at[four] + 2], out[at[four] + 3] = 255, rest >> 16, (rest >> 8) & 255, rest & 255
    return out


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
    """Only http(s) links reach the page: a `javascript:` or `data:` URL in the data stays text."""
    text = _text(value).strip()
    return text if re.match(r"https?://[^\s<>\"']+$", text, re.IGNORECASE) else ""


def _column(papers: pd.DataFrame, name: str) -> pd.Series:
    return papers[name] if name in papers.columns else pd.Series("", index=papers.index)


def _blank(value: object) -> str:
    return _text(value).translate(_BLANKS)


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else str(value)


def _encode(data: bytes) -> Markup:
    """Raw deflate (the browser's `DecompressionStream("deflate-raw")`), then 7 bits per character.

    Base64 spends 8 bits of file on 6 of data; ASCII characters carry 7. The three values that
    are unsafe inside a <script> element (NUL, CR, "<") become U+0080 + value, two bytes in UTF-8,
    so the whole costs 8/7 x 1.023 of the deflated bytes instead of 4/3: 12 % less file. The page's
    `unpack7` reverses it.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    bits = np.unpackbits(np.frombuffer(packer.compress(data) + packer.flush(), dtype=np.uint8))
    bits = np.concatenate([bits, np.zeros(-len(bits) % 7, dtype=np.uint8)]).reshape(-1, 7)
    values = np.packbits(np.pad(bits, ((0, 0), (1, 0))), axis=1).tobytes()  # 0..127, one per character
    for unsafe, shifted in _UNSAFE_IN_SCRIPT:
        values = values.replace(unsafe, shifted)
    return Markup(values.decode("latin-1"))


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
