"""Text and numbers as a reader sees them: no LaTeX or scraper residue, ×, %, en-dash ranges, claims marked.

Abstracts are stored raw ("631-1074times", "63.7\\%", "$256\\times256$") and claims point into them by
offsets. For display a sentence goes through three rewrites: LaTeX symbols to Unicode (α, ∞), the
claims package's offset-preserving cleaner (:func:`pipeline.claims.text.clean`), and typography
(631–1074×, 63.7%, 256×256). Each rewrite keeps track of where the marked numbers went, so the
number a claim points at is the one marked in the sentence shown.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from pipeline.claims.text import CleanText, clean

# LaTeX commands the cleaner drops but whose meaning a reader needs ("$\alpha$-divergence").
_GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi rho "
          "sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega").split()
_GREEK_LETTERS = "αβγδεεζηθϑικλμνξπρστυφϕχψωΓΔΘΛΞΠΣΦΨΩ"
SYMBOLS: dict[str, str] = {
    **{name: letter for name, letter in zip(_GREEK, _GREEK_LETTERS)},
    "infty": "∞", "cdot": "·", "ldots": "…", "dots": "…", "cdots": "…", "circ": "°", "deg": "°", "degree": "°",
    "neq": "≠", "ne": "≠", "propto": "∝", "log": "log", "ell": "ℓ",
}
_SYMBOL_RE = re.compile(r"\\(" + "|".join(sorted(SYMBOLS, key=len, reverse=True)) + r")(?![A-Za-z])|\\([$&#_])")

_NUMBER = r"\d+(?:[.,]\d+)*"
_SUPERSCRIPT = str.maketrans("0123456789-+−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺⁻")
HUGE = 1e15  # numbers from here on are written as powers of ten
# Typography, applied in this order to the cleaned text; each rule is (pattern, replacement template).
TYPOGRAPHY: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = tuple((re.compile(pattern), replacement) for pattern, replacement in (
    (r"(?<=\d)\s?[xX](?![A-Za-z]|-[A-Za-z])|(?<=\d)times(?![a-z])", "×"),  # 5x, 5 x, 10times: the factor sign
    # "3.8* inference speedup": a scraped × (an asterisk elsewhere may be a footnote mark)
    (r"(?<=\d)\*(?=\s?(?:faster|slower|speed-?ups?|inference|acceleration|fewer|less|smaller|lower|higher|larger|"
     r"reduction|compression|cheaper)\b)", "×"),
    (r"(?<=\d)\s+(?=%)", ""),  # "10 %" -> "10%"
    # a range between two numbers gets an en dash (2-3× -> 2–3×); "GPT-4", "Llama-2-7B", dates stay
    (rf"(?<![\w.\-/–])({_NUMBER}[×%]?)\s?-\s?(?={_NUMBER}(?!\d|[.,]\d|-\d))", r"\1–"),
    (r"(?<=\d×)\s+(?=\d)", ""),  # 256× 256 -> 256×256
    (r"(?<=\S)---(?=\S)", "—"),  # LaTeX dashes
    (r"(?<=[\d×%])--(?=\d)", "–"),
    (r"\s{2,}", " "),
    # powers: 10^5 -> 10⁵, 10^{-6} -> 10⁻⁶, R^6 -> R⁶
    (r"(?<=[\dA-Za-z])\^\{?([-+−]?\d{1,3})\}?(?!\d)", lambda m: m.group(1).translate(_SUPERSCRIPT)),
    (r"\\times\b\s?", "×"),  # a \times the cleaner left after a power ("$10^{5}\times$")
    (r"\^\{?(?=°)|(?<=°)\}", ""),  # 2.49^{\circ} -> 2.49°
))


@dataclass(frozen=True)
class Rewritten:
    """Text after a rewrite, and where its pieces came from: output offset `starts[k]` begins piece k,
    which replaced input `[lo, hi)` (copied character by character, or as a whole)."""

    text: str
    starts: tuple[int, ...]
    pieces: tuple[tuple[int, int, bool], ...]  # (input lo, input hi, copied), in input order

    def output_span(self, lo: int, hi: int) -> tuple[int, int]:
        """Output offsets covering input [lo, hi): a replaced piece that overlaps it is taken whole."""
        ends = [piece[1] for piece in self.pieces]
        k = bisect.bisect_right(ends, lo)  # the first piece reaching past lo
        if k == len(self.pieces):
            return len(self.text), len(self.text)
        piece_lo, _, copied = self.pieces[k]
        first = self.starts[k] + (max(0, lo - piece_lo) if copied else 0)
        j = bisect.bisect_left([piece[0] for piece in self.pieces], hi) - 1  # the last piece starting before hi
        if j < 0:
            return first, first
        piece_lo, piece_hi, copied = self.pieces[j]
        piece_end = self.starts[j + 1] if j + 1 < len(self.starts) else len(self.text)
        last = self.starts[j] + min(hi, piece_hi) - piece_lo if copied else piece_end
        return first, max(first, last)


def _rewrite(text: str, pattern: re.Pattern[str], replacement) -> Rewritten:
    """`pattern` replaced by `replacement(match)` throughout `text`, remembering where each piece came from."""
    out, starts, pieces, length, last = [], [], [], 0, 0
    for match in pattern.finditer(text):
        if match.start() > last:
            out.append(text[last:match.start()])
            starts.append(length)
            pieces.append((last, match.start(), True))
            length += match.start() - last
        new = replacement(match)
        if new:
            out.append(new)
            starts.append(length)
            pieces.append((match.start(), match.end(), False))
            length += len(new)
        last = match.end()
    if last < len(text) or not pieces:
        out.append(text[last:])
        starts.append(length)
        pieces.append((last, len(text), True))
    return Rewritten("".join(out), tuple(starts), tuple(pieces))


def _from_clean(cleaned: CleanText) -> Rewritten:
    """The claims cleaner's offset map, in the form the other rewrites use."""
    if not cleaned.segments:
        return Rewritten(cleaned.text, (0,), ((0, len(cleaned.text), True),))
    pieces = []
    for k, (clean_start, raw_start, raw_end, copied) in enumerate(cleaned.segments):
        clean_end = cleaned.starts[k + 1] if k + 1 < len(cleaned.starts) else len(cleaned.text)
        pieces.append((raw_start, raw_start + clean_end - clean_start if copied else raw_end, copied))
    return Rewritten(cleaned.text, cleaned.starts, tuple(pieces))


_NEEDS_WORK_RE = re.compile(r"[\\$_{}^*×−‐‑∼≈~\u00a0µ]|\d\s?[xX%-]|\dtimes|\s{2}|\b(?:it|bf|leq|geq|pm)\b")


def _steps(text: str) -> list[Rewritten]:
    symbols = _rewrite(text, _SYMBOL_RE, lambda m: SYMBOLS[m.group(1)] if m.group(1) else m.group(2))
    cleaned = _from_clean(clean(symbols.text))
    steps = [symbols, cleaned]
    for pattern, replacement in TYPOGRAPHY:
        steps.append(_rewrite(steps[-1].text, pattern,
                              replacement if callable(replacement) else lambda m, r=replacement: m.expand(r)))
    return steps


def display_text(raw: object) -> str:
    """Scraped or LaTeX text as a reader should see it: "631-1074times" -> "631–1074×"."""
    if raw is None or raw is pd.NA or (isinstance(raw, float) and raw != raw):
        return ""
    text = str(raw)
    if not _NEEDS_WORK_RE.search(text):
        return " ".join(text.split())
    return _steps(text)[-1].text.strip()


def marked_pieces(sentence: str, spans: list[tuple[int, int, str]]) -> list[dict]:
    """The sentence as display pieces, the claims' spans (offsets into `sentence`, with a mark class)
    marked: [{"text": "We are ", "mark": ""}, {"text": "5× faster", "mark": "result"}, ...].

    Overlapping spans are merged into one mark (the first span's class wins).
    """
    merged: list[list] = []
    for lo, hi, kind in sorted((max(0, lo), min(len(sentence), hi), kind) for lo, hi, kind in spans):
        if merged and lo < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        elif hi > lo:
            merged.append([lo, hi, kind])
    if _NEEDS_WORK_RE.search(sentence):
        steps = _steps(sentence)
        text = steps[-1].text
        for step in steps:
            for span in merged:
                span[0], span[1] = step.output_span(span[0], span[1])
    else:
        text = sentence
    pieces, last = [], 0
    for lo, hi, kind in merged:
        if lo < last:  # two marks met after a rewrite widened one
            lo = last
        pieces.append({"text": text[last:lo], "mark": ""})
        pieces.append({"text": text[lo:hi], "mark": kind})
        last = hi
    pieces.append({"text": text[last:], "mark": ""})
    return _tidy(pieces)


def _tidy(pieces: list[dict]) -> list[dict]:
    """Whitespace collapsed inside and between pieces, the sentence trimmed at both ends; empty pieces dropped."""
    out = []
    for piece in pieces:
        text = re.sub(r"\s+", " ", piece["text"])
        if out and out[-1]["text"].endswith(" ") and text.startswith(" "):
            text = text[1:]
        if text:
            out.append({"text": text, "mark": piece["mark"]})
    if out:
        out[0]["text"] = out[0]["text"].lstrip()
        out[-1]["text"] = out[-1]["text"].rstrip()
    return [piece for piece in out if piece["text"]]


def marked(sentence: str, lo: int, hi: int) -> dict:
    """One claim in its sentence, split for templates: {"before": ..., "mark": ..., "after": ...}."""
    pieces = marked_pieces(sentence, [(lo, hi, "result")])
    at = next((i for i, piece in enumerate(pieces) if piece["mark"]), None)
    if at is None:
        return {"before": "".join(p["text"] for p in pieces), "mark": "", "after": ""}
    return {"before": "".join(p["text"] for p in pieces[:at]), "mark": pieces[at]["text"],
            "after": "".join(p["text"] for p in pieces[at + 1:])}


# --------------------------------------------------------------------------- numbers


def format_number(value: object, unit: object = "", digits: int = 6, decimals: int | None = None) -> str:
    """A number as stated, with the unit the way people write it: 5.0 → '5', 99.97 → '99.97', 5×, 45%,
    8.6 pp, 172M. Computed numbers (a factor of 1/(1 - 0.4)) pass `digits=3`: 1.67×; a number the
    paper wrote with trailing zeros passes their count as `decimals` (1.80 stays 1.80)."""
    if value is None or pd.isna(value):
        return ""
    number = float(value)
    if abs(number) >= HUGE:  # 6.55×10⁶⁸, not 69 digits
        mantissa, exponent = f"{number:.3g}".split("e")
        text = f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    elif decimals is not None:
        text = f"{number:,.{decimals}f}"
    else:
        text = f"{number:,.{digits}g}" if abs(number) < 10 ** min(digits, 6) else f"{number:,.0f}"
    unit = "" if unit is None or pd.isna(unit) else str(unit)
    if unit == "x":
        return f"{text}×"
    if unit in ("%", ""):
        return f"{text}{unit}"
    return f"{text} {unit}" if len(unit) > 1 else f"{text}{unit}"


def format_factor(value: object, text: object = None, decimals: int | None = None) -> str:
    """A computed factor, to three significant digits: 1.67×, 1,074× (or with the `decimals` the
    paper wrote, when the factor is its own number); one read from words (`text`, the claim's) is
    marked approximate: ~100× for "orders of magnitude"."""
    return f"{'~' if is_approximate(text) else ''}{format_number(value, 'x', digits=3, decimals=decimals)}"


_WRITTEN_RE = re.compile(r"\d+(?:,\d{3})*(?:\.(\d+))?")
# A bound written before the number: "FID<2", "below 3%", "over 90%".
_BOUND_RE = re.compile(r"(?i)(?:(<|≤|\\leq?|below|under|less than|lower than)|(>|≥|\\geq?|above|over|more than|"
                       r"higher than|exceeding))\s*\$?\s*$")
_APPROXIMATE_RE = re.compile(r"(?i)\borders? of magnitude\b")


def _written(value: object, text: object) -> re.Match[str] | None:
    """Where `text` (a claim's words) writes the number `value`."""
    if value is None or pd.isna(value):
        return None
    for match in _WRITTEN_RE.finditer(str(text or "")):
        number = float(match.group().replace(",", "").rstrip(",") or "nan")
        if abs(number - float(value)) <= 1e-9 * max(1.0, abs(number)):
            return match
    return None


def written_decimals(value: object, text: object) -> int | None:
    """How many decimals the paper wrote for `value` in `text` ("1.80" → 2); None where `text` lacks it."""
    match = _written(value, text)
    return None if match is None else len(match.group(1) or "")


def written_bound(value: object, text: object) -> str:
    """'<' or '>' where the paper states `value` as a bound ("FID<2", "over 90%"), else ''."""
    match = _written(value, text)
    bound = None if match is None else _BOUND_RE.search(str(text)[: match.start()])
    return "" if bound is None else "<" if bound.group(1) else ">"


def is_approximate(text: object) -> bool:
    """A factor read from words, not digits ("orders of magnitude speedup" is taken as 100)."""
    return bool(_APPROXIMATE_RE.search(str(text or "")))


def factor_as_written(factor: object, value: object, unit: object, words: object, text: object = None) -> str:
    """A leaderboard factor as the paper states it (`words`: the claim and what stands just before
    it; `text`: the claim's own words): a bound (>7,000×), ~ when read from words, and its decimals
    when the factor is the paper's own number (217.8×, not 218×)."""
    decimals = written_decimals(value, words) if unit == "x" else None
    return written_bound(value, words) + format_factor(factor, words if text is None else text, decimals)


def claim_value(value: object, unit: object, range_low: object = None, text: object = None) -> str:
    """A claim's number with its range, as the paper wrote it (`text`, the claim's words): 2–3×,
    25–30%, 1.2–1.5B, 1.80, <2."""
    shown = format_number(value, unit, decimals=written_decimals(value, text))
    if range_low is None or pd.isna(range_low) or not shown:
        return f"{written_bound(value, text)}{shown}"
    low = format_number(range_low, unit, decimals=written_decimals(range_low, text))
    number = re.match(r"[\d,.]+", shown)
    unit_text = shown[number.end():] if number else ""
    if unit_text and low.endswith(unit_text):
        low = low[: len(low) - len(unit_text)]
    return f"{low}–{shown}"


def claim_label(value: object, unit: object, metric: object, range_low: object = None, text: object = None) -> str:
    """"2–3× inference speed", "8 steps" (not "8 steps steps"), "330B tokens"."""
    shown = claim_value(value, unit, range_low, text)
    if metric is None or pd.isna(metric) or not str(metric):
        return shown
    metric = str(metric)
    unit_text = "" if unit is None or pd.isna(unit) else str(unit)
    if unit_text and (unit_text == metric or unit_text.endswith(metric) or metric.endswith(unit_text)
                      and len(unit_text) > 1):
        return shown
    return f"{shown} {metric}"
