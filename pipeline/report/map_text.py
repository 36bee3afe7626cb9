"""The text the map's panel shows for a scraped title or abstract: readable, with no LaTeX or
scraper residue ("27\\%" → "27%", "$2.3\\times$" → "2.3×", "256times256" → "256×256",
"631-1074times" → "631–1074×", "10^{-3}" → "10⁻³", "classi(cid:12)cation" → "classification").

The claims' cleaner already removes most residue and maps each cleaned character back to the raw
text, where the claims' offsets point. It rewrites for matching ("×" → "x", "−" → "-") and drops
every unknown command ("\\alpha"), so this module turns its output into typography for reading
and carries the map along, composed: a claim's raw span can still be marked in the text shown
(`DisplayText.span`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from os.path import commonprefix

import numpy as np

from pipeline.claims.text import clean

Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
Edit = tuple[int, int, str, np.ndarray]  # replace text[start:end] by a string with these origins


@dataclass(frozen=True)
class DisplayText:
    """A text to show, and for each of its characters the raw offset where it begins."""

    text: str
    origin: np.ndarray  # non-decreasing, one per character of `text`

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The characters of `text` that come from the raw span [start, end)."""
        first = int(np.searchsorted(self.origin, start, side="left"))
        return first, max(first, int(np.searchsorted(self.origin, end, side="left")))


def display_text(raw: str) -> DisplayText:
    """`raw` as a reader should see it, with the map back to `raw`'s offsets."""
    text, origin = _cleaned(raw)
    text, origin = _commands(raw, text, origin)
    for pattern, replace in _SYMBOL_RULES:
        text, origin = _rewrite(text, origin, pattern, replace)
    text, origin = _rewrite(text, origin, _TILDE_RE, lambda match: _tilde(raw, origin, match))
    for pattern, replace in _SPACING_RULES:
        text, origin = _rewrite(text, origin, pattern, replace)
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    return DisplayText(text, origin[lead:lead + len(text)])


# --------------------------------------------------------------------------- the claims' cleaner


def _cleaned(raw: str) -> tuple[str, np.ndarray]:
    """The claims' cleaner's text (`pipeline.claims.text.clean`: the one use of it here), with the
    symbols it flattens for matching shown as written, and the raw offset of each character."""
    cleaned = clean(raw)
    if not cleaned.segments:
        return raw, np.arange(len(raw), dtype=np.int64)
    ends = [segment[0] for segment in cleaned.segments[1:]] + [len(cleaned.text)]
    pieces, origins = [], []
    for (start, raw_start, raw_end, copied), end in zip(cleaned.segments, ends):
        piece = cleaned.text[start:end]
        if copied:
            origins.append(np.arange(raw_start, raw_start + len(piece), dtype=np.int64))
        else:
            piece = _as_written(raw[raw_start:raw_end], piece)
            origins.append(np.full(len(piece), raw_start, dtype=np.int64))
        pieces.append(piece)
    return "".join(pieces), np.concatenate(origins)


def _as_written(source: str, replacement: str) -> str:
    """"×" and "−" stay themselves; "$3\\times$" and "256 \\times 256" get their "×" back."""
    if source in ("×", "−"):
        return source
    if source.lstrip().startswith("\\times"):
        return " ×" if source[0].isspace() else "×"
    return replacement


# --------------------------------------------------------------------------- LaTeX commands

# A command whose argument is a key, not text ("\cite{li2023}" must go whole, not leave "li2023"),
# or any other command, whose name may stand for a symbol.
_COMMAND_RE = re.compile(r"~?\\(?:cite[a-z]*|[a-z]*ref|label)\*?(?:\[[^\]]*\])*\{[^{}]*\}|\\(?P<name>[A-Za-z]+)")
_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda nu xi pi rho sigma tau upsilon "
          "phi chi psi omega").split()  # \mu is the cleaner's
# Symbols the cleaner drops with their command (it rewrites \times, \sim, \leq, \pm, \mu itself).
_SYMBOLS = {
    **dict(zip(_GREEK, "αβγδεζηθικλνξπρστυφχψω")),
    **dict(zip((name.capitalize() for name in _GREEK), "ΑΒΓΔΕΖΗΘΙΚΛΝΞΠΡΣΤΥΦΧΨΩ")),
    "varepsilon": "ε", "vartheta": "ϑ", "varphi": "φ", "ell": "ℓ", "cdot": "·", "circ": "°", "prime": "′",
    "infty": "∞", "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "leftrightarrow": "↔",
    "uparrow": "↑", "downarrow": "↓", "neq": "≠", "ne": "≠", "propto": "∝", "partial": "∂", "nabla": "∇",
    "sqrt": "√", "sum": "∑", "prod": "∏", "int": "∫", "in": "∈", "notin": "∉", "subset": "⊂",
    "subseteq": "⊆", "cup": "∪", "cap": "∩", "forall": "∀", "exists": "∃", "dagger": "†", "star": "⋆",
    "ast": "*", "ldots": "…", "cdots": "⋯", "dots": "…", "log": "log", "exp": "exp", "max": "max",
    "min": "min", "arg": "arg", "sin": "sin", "cos": "cos", "lim": "lim", "det": "det",
}


def _commands(raw: str, text: str, origin: np.ndarray) -> tuple[str, np.ndarray]:
    """What the cleaner makes of a command, set right: "\\cite{key}" goes whole (it keeps the
    key) and "\\alpha" becomes α (it drops the name, and the space after it)."""
    if "\\" not in raw:
        return text, origin
    drops, inserts = [], []
    for match in _COMMAND_RE.finditer(raw):
        name = match.group("name")
        if name is None:
            drops.append(match.span())
        elif name in _SYMBOLS:
            symbol = _SYMBOLS[name] + " " * raw[match.end():match.end() + 1].isspace()
            inserts.append((match.start(), match.end(), symbol))
    if drops:
        starts, ends = np.array(drops).T
        at = np.searchsorted(starts, origin, side="right") - 1
        keep = ~((at >= 0) & (origin < ends[np.maximum(at, 0)]))
        text, origin = "".join(c for c, k in zip(text, keep) if k), origin[keep]
    edits = []
    for start, end, symbol in inserts:
        at = int(np.searchsorted(origin, start, side="left"))
        lead = start - len(raw[:start].rstrip())  # the cleaner may take the spaces before a command too
        written = np.searchsorted(origin, start - lead, side="left")
        inside = at < len(origin) and origin[at] < end
        if inside or text[written:at].strip():
            continue  # the cleaner wrote something for this command itself ("\to" -> "→"): keep that
        edits.append((at, at, symbol, np.full(len(symbol), start, dtype=origin.dtype)))
    return _splice(text, origin, edits)


# --------------------------------------------------------------------------- rewriting with origins


def _rewrite(text: str, origin: np.ndarray, pattern: re.Pattern[str],
             replace: Callable[[re.Match[str]], str]) -> tuple[str, np.ndarray]:
    """`pattern.sub(replace, text)`, with the origins: a replacement's unchanged prefix keeps
    its own, the rest takes those of the last replaced characters ("^2" → "²" is the "2"), and
    the last one's again where the replacement is longer."""
    edits: list[Edit] = []
    for match in pattern.finditer(text):
        old, new = match.group(), replace(match)
        if new == old:
            continue
        start, end = match.span()
        keep = len(commonprefix([old, new]))
        replaced, added = origin[start + keep:end], len(new) - keep
        if added <= len(replaced):
            tail = replaced[len(replaced) - added:]
        else:
            tail = np.concatenate([replaced, np.full(added - len(replaced), origin[end - 1], dtype=origin.dtype)])
        edits.append((start + keep, end, new[keep:], tail))
    return _splice(text, origin, edits)


def _splice(text: str, origin: np.ndarray, edits: list[Edit]) -> tuple[str, np.ndarray]:
    """`text` and `origin` with the edits (in order, not overlapping) made."""
    if not edits:
        return text, origin
    pieces, origins, last = [], [], 0
    for start, end, new, new_origin in edits:
        pieces += [text[last:start], new]
        origins += [origin[last:start], new_origin]
        last = end
    pieces.append(text[last:])
    origins.append(origin[last:])
    return "".join(pieces), np.concatenate(origins)


# --------------------------------------------------------------------------- the rules

_SUPERSCRIPT = str.maketrans("0123456789-+niT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ⁿⁱᵀ")
# What a PDF extractor leaves for a glyph it cannot name, in TeX's fonts: "classi(cid:12)cation",
# "e(cid:11)ective" (ligatures), "sim(cid:173) ulate" (a soft hyphen at a line break), "N(cid:2)N".
_CID_LIGATURES = {2: "fi", 11: "ff", 12: "fi", 13: "fl", 14: "ffi", 15: "ffl"}
_CID_SYMBOLS = {0: "−", 2: "×", 15: "ε", 96: "ℓ", 147: "“", 148: "”"}
_LEFT_NUMBER_RE = re.compile(r"(?<![\w.\-–])\d++(?:\.\d++)?+[%×]?")
_RIGHT_NUMBER_RE = re.compile(r"\d++(?:\.\d++)?+(?!-\d)")
_TILDE_RE = re.compile("~")


def _cid(match: re.Match[str]) -> str:
    code, space, following = int(match.group(1)), match.group(2), match.group(3)
    if code == 173:
        return ""
    if following and code in _CID_LIGATURES:
        return _CID_LIGATURES[code] + space
    return _CID_SYMBOLS.get(code, "") + space


def _tilde(raw: str, origin: np.ndarray, match: re.Match[str]) -> str:
    """A "~" typed in the raw text is LaTeX's tie ("Fig.~3", "check~(LDPC)": a space), a range
    between numbers ("0.4~2.5 μm", "66%∼75%", also as "∼"), or an approximation ("~50%"); the
    cleaner's "~" for \\sim or ≈ is an approximation."""
    text, i = match.string, match.start()
    source = raw[origin[i]]
    if source not in "~∼":
        return "~"
    before, after = text[i - 1:i], text[i + 1:i + 2]
    if (before.isdigit() or before in ("%", "×")) and after.isdigit():
        return "–"
    return " " if source == "~" and before and not before.isspace() else "~"


def _range_dash(match: re.Match[str]) -> str:
    """An en dash between two plain numbers (10-20, 10%-20%, 631-1074×), not in GPT-4-8,
    2024-01-15 or Llama-3-8B."""
    text, i = match.string, match.start()
    left = any(m.end() == i for m in _LEFT_NUMBER_RE.finditer(text, max(0, i - 24), i))
    return "–" if left and _RIGHT_NUMBER_RE.match(text, i + 1) else "-"


def _drop(match: re.Match[str]) -> str:
    return ""


def _times(match: re.Match[str]) -> str:
    return "×"


# Each pattern starts with a literal, which the regex engine finds fast.
_SYMBOL_RULES: list[Rule] = [
    (re.compile(r"\(cid:(\d{1,3})\)( ?)(?=([a-z]?))"), _cid),
    (re.compile(r"\\[()\[\]]"), _drop),  # \( x \): math delimiters
    (re.compile(r"\\\\"), lambda match: " "),  # a LaTeX line break
    (re.compile(r"_(?<=[A-Za-z]_)(?<!\\_)(?=\d{1,2}\b)"), _drop),  # F$_1$, AP_50
    (re.compile(r"\\"), _drop),  # learn\_the\_details, \#1
    (re.compile(r"x(?<=[a-z )]x)20(?:1[0-9]|2[0-6])"), lambda match: chr(int(match.group()[1:], 16))),  # "&#x2013;"
    (re.compile(r"times(?![a-z])(?:(?<=\dtimes)|(?<=\b[A-Za-z]times))|times(?<=\d times)(?= \d)"), _times),
    # 5x, 2.5x, 3x3, 1920x1080: a factor or a size; not 0x1F, v2x, A100x
    (re.compile(r"x(?<=\dx)(?<![^\d.]0x)(?<![A-Za-z_]\dx)(?<![A-Za-z_]\d\dx)(?<![A-Za-z_]\d{3}x)(?![A-Za-z_])"), _times),
    (re.compile(r"x(?<=\d x)(?= \d)"), _times),  # 256 x 256
    (re.compile(r"\^(?:[-+]?\d{1,3}(?!\d|\.\d)|[niT]\b)"),  # 10^-3, O(n^2), R^n, W^T
     lambda match: match.group()[1:].translate(_SUPERSCRIPT)),
    (re.compile(r"\^(?=[°′*†⋆])|\^(?![\w(+-])"), _drop),  # 90^\circ, θ^*, what a dropped command left
]
_SPACING_RULES: list[Rule] = [
    (re.compile(r"-(?<=[\d%×]-)(?=\d)"), _range_dash),
    (re.compile(r"  +"), lambda match: " "),  # room left by removed macros
    (re.compile(r" ×(?<=[\d⁰¹²³⁴⁵⁶⁷⁸⁹] ×)(?! ?\d)"), _times),  # "5.02 $\times$ less" is 5.02× (not 256 × 256)
]
