"""Offset-preserving cleanup of abstracts for the claims extractor, and sentence splitting.

Abstracts arrive either as scraped text (``10times``, ``45\\%``) or as raw arXiv LaTeX
(``$3\\times$``, ``\\textbf{30\\%}``). The rules in :mod:`pipeline.claims` read a cleaned copy, but a
claim's evidence must be an exact substring of the *raw* abstract, so the cleaned copy keeps a map
from each of its characters back to the raw span it came from.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.claims.vocab import ABBREVIATIONS


def _code_point(command: str) -> str:
    """"\\unicode{x2013}" is "–" (MathJax's hexadecimal, or decimal "\\unicode{8211}"), cleaned as if typed."""
    code = command[command.index("{") + 1:-1]
    try:
        character = chr(int(code[1:], 16) if code[0] in "xX" else int(code))
    except (ValueError, OverflowError):
        return ""
    return clean(character).text


_REPLACEMENTS: list[tuple[str, str | Callable[[str], str]]] = [
    (r"\\unicode\{(?:[xX][0-9a-fA-F]{1,6}|\d{1,7})\}", _code_point),
    (r"\s*\\times(?![a-zA-Z])", "x"),                       # $3\times$ -> 3x, 256 \times 256 -> 256x 256
    (r"\\%", "%"),
    (r"\\(?:sim|approx|simeq)\b\s*", "~"),
    (r"\\(?:leq?|leqslant)\b\s*|\bleq\s?(?=\d)", "≤"),     # also the scraper's "leq 256px"
    (r"\\(?:geq?|geqslant)\b\s*|\bgeq\s?(?=\d)", "≥"),
    (r"\\pm\b|(?:(?<=\d)|(?<=\d ))pm(?= ?\d)", "±"),     # also the scraper's "11.0 pm 1.3"
    (r"\\(?:eg|ie)\b", ""),
    (r"\\mu\b\s*|µ", "μ"),                              # $121 \mu$J -> 121 μJ
    (r"\s*\\(?:rightarrow|to|longrightarrow|Rightarrow|mapsto)\b\s*", " → "),  # 0.224$\rightarrow$0.826
    (r"\\ell\b", "ℓ"),                                    # \ell_1 -> ℓ1, a norm's name
    (r"(?<=[A-Za-z])_(?=\{?\w)", ""),                      # F_1 -> F1
    (r"\\[,;:! ]", " "),
    (r"\\[()\[\]]", ""),                                   # inline math \(0.91\), display math \[ \]
    (r"\\[a-zA-Z]+\s?", ""),                               # any other command: \textbf, \mathrm, \bf
    (r"[${}]", ""),                                        # math delimiters (a currency "$" is kept, below)
    (r"\b(?:it|bf|textbf|textit|emph)\s?(?=\d)", ""),    # scraper residue of {\it 3}: "it 3-it 10"
    (r"×", "x"),
    (r"[−‐‑]", "-"),
    (r"[∼≈]", "~"),
    (r"(?<=\d)~(?=[A-Za-zμ])", " "),                       # LaTeX tie: "1.8~s" -> "1.8 s"
    (r"\u00a0", " "),
    (r"\s{2,}", " "),                                      # PDF extraction: "at  speeds  of  up  to"
    (r"(?<=\d)(?<![,(]\d)(?<![,(]\d\d),(?=(?:h|s|ms|min|GB|MB|dB|pp)(?![\w,=]))", " "),  # "30.5,h": a lost "\,"
    (r"(?<=\d)(?<![,(]\d)(?<![,(]\d\d),(?=[kKMB](?![\w,=]))", ""),  # "a 2.0,M-parameter model"
]
_CLEAN_RE = re.compile(
    # the look-ahead on first characters lets most positions fail at once (3x faster on long corpora)
    r"(?=[\\$_{}×−‐‑∼≈~\u00a0µ]|\s+\\|\s\s|\b[iblgtep]|(?<=\d),)(?:" + "|".join(f"({p})" for p, _ in _REPLACEMENTS) + ")"
)

WORD_RE = re.compile(r"[^\s]+")
CLAUSE_END_RE = re.compile(r"[,;:()]|\b(?:while|whereas|but|and|with)\b")

_FIRST_PERSON_RE = re.compile(
    r"\b(?:we|our|ours|us|this (?:paper|work|study|article|letter|thesis|report)|here|in this|propos\w*|"
    r"introduc\w*|present\w*)\b",
    re.I,
)
"""The authors speaking of their own work; the sentences before the first of these are background."""
_RESULT_WORDS_RE = re.compile(
    r"\b(?:experiment\w*|results?|evaluat\w*|achiev\w*|outperform\w*|benchmarks?|baselines?|propos\w*)\b", re.I
)
"""Words of a sentence that reports results even before the authors say "we"."""

_SENTENCE_END_RE = re.compile(r"[.!?][\"')\]]*(?:\s+|(?<=[a-z]\.)(?=[A-Z][a-z]))")
_WORD_BEFORE_RE = re.compile(r"([\w.\-]+)$")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a cleaned abstract: ``text[lo:hi]``, with the whole text kept for offsets."""

    text: str
    lo: int
    hi: int
    background: bool = False  # before the authors first speak of their own work
    metric_text: str = ""  # text with acronyms the abstract redefines masked, for metric matching
    about_speed: bool = False  # the abstract speaks of speed (faster, throughput, accelerate)
    previous_kind: str | None = None  # kind of the abstract's last claim before this sentence

    def __post_init__(self) -> None:
        if not self.metric_text:
            object.__setattr__(self, "metric_text", self.text)



@dataclass(frozen=True)
class CleanText:
    """A cleaned abstract and the map back to the raw one.

    ``segments`` holds (clean_start, raw_start, raw_end, copied): copied segments map character by
    character, replacement segments map as a whole to the raw span they replaced.
    """

    text: str
    segments: tuple[tuple[int, int, int, bool], ...]
    starts: tuple[int, ...]

    def _segment(self, i: int) -> tuple[int, int, int, bool]:
        return self.segments[max(bisect.bisect_right(self.starts, i) - 1, 0)]

    def raw_start(self, i: int) -> int:
        """Raw offset where the cleaned character ``i`` begins."""
        if not self.segments:
            return i
        clean_start, raw_start, _, copied = self._segment(i)
        return raw_start + (i - clean_start) if copied else raw_start

    def raw_end(self, j: int) -> int:
        """Raw offset just past the cleaned character ``j - 1``."""
        if not self.segments:
            return j
        clean_start, raw_start, raw_end, copied = self._segment(j - 1)
        return raw_start + (j - clean_start) if copied else raw_end


def clean(raw: str) -> CleanText:
    """Rewrite LaTeX and scraper residue into plain text, keeping the map to raw offsets."""
    if not _CLEAN_RE.search(raw):
        return CleanText(raw, (), ())
    pieces: list[str] = []
    segments: list[tuple[int, int, int, bool]] = []
    length = 0
    last = 0
    currency = _currency_signs(raw)
    for match in _CLEAN_RE.finditer(raw):
        if match.start() in currency:
            continue
        if match.start() > last:
            segments.append((length, last, match.start(), True))
            pieces.append(raw[last:match.start()])
            length += match.start() - last
        replacement = _REPLACEMENTS[match.lastindex - 1][1]
        if callable(replacement):
            replacement = replacement(match.group())
        if replacement:
            segments.append((length, match.start(), match.end(), False))
            pieces.append(replacement)
            length += len(replacement)
        last = match.end()
    if last < len(raw):
        segments.append((length, last, len(raw), True))
        pieces.append(raw[last:])
    return CleanText("".join(pieces), tuple(segments), tuple(s[0] for s in segments))


_DOLLAR_NUMBER_RE = re.compile(r"\$(?=\d[\d,]*+(?:\.\d+)?(?:[kKMBT]\b|\s?(?:million|billion|thousand)\b)?(?:[\s,;:)+]|\.(?:\s|$)|$))")
"""A "$" before a plain amount ("$4.27 per invoice", "$1,000", "$2M"); "$10^{64}$" and "$10$" are math."""


_UNESCAPED_DOLLAR_RE = re.compile(r"(?<!\\)\$")
_MATH_RE = re.compile(r"[\\^_{}]")
"""What math holds and a price does not: "$28 \\%$", "$10^{64}$", "$x_i$"."""


def _currency_signs(raw: str) -> set[int]:
    """Offsets of "$" signs that are money ("$4.27 per invoice", "$1,000 and $2M"), not LaTeX math
    delimiters. Read left to right, a "$" that opens no math is money when a plain amount follows it,
    the text up to the next "$" is no math ("$28 \\%$" is math) and that next "$" does not close
    what this one opened (glued to the text before it and no amount after it: "$3 - Ω(1)$"); any
    other "$" opens math, and the next one closes it. An escaped "\\$" opens and closes no math (its
    sign is dropped like a delimiter's, so the map's panel shows no "$" for it)."""
    signs: set[int] = set()
    dollars = [match.start() for match in _UNESCAPED_DOLLAR_RE.finditer(raw)]
    k = 0
    while k < len(dollars):
        at = dollars[k]
        following = dollars[k + 1] if k + 1 < len(dollars) else len(raw)
        closes = following < len(raw) and not raw[following - 1].isspace() \
            and not raw[following + 1:following + 2].isdigit()
        if _DOLLAR_NUMBER_RE.match(raw, at) and not closes and not _MATH_RE.search(raw, at, following):
            signs.add(at)
            k += 1
        else:
            k += 2
    return signs


def _ends_sentence(text: str, dot: int) -> bool:
    """False for a period that closes an abbreviation ("e.g.", "Fig.") or an initial ("J.")."""
    if text[dot] != ".":
        return True
    word = _WORD_BEFORE_RE.search(text, max(0, dot - 40), dot)
    if not word:
        return True
    token = word.group(1).lower().rstrip(".")
    last = token.rsplit(".", 1)[-1] if "." in token else token
    if token in ABBREVIATIONS or last in ABBREVIATIONS:
        return False
    return not (len(word.group(1)) == 1 and word.group(1).isupper())


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; decimals never split since a split needs a space or a capital."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        if not _ends_sentence(text, match.start()):
            continue
        spans.append((start, match.start() + 1))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def background(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """Which sentences are background: those before the abstract first speaks of its own work that
    report no result ("Smart home lighting systems consume 15-20% of residential energy."). Their
    numbers are context, not results."""
    if len(spans) < 2:
        return [False] * len(spans)  # a one-sentence abstract states its own result
    first = next((i for i, (start, end) in enumerate(spans) if _FIRST_PERSON_RE.search(text, start, end)), len(spans))
    return [i < first and not _RESULT_WORDS_RE.search(text, start, end) for i, (start, end) in enumerate(spans)]
