"""The extractor's vocabularies (metrics, units, counted nouns, cue words, names), loaded from the
TOML files in ``vocabulary/`` through a strict schema.

Widening the extractor to a new field is a matter of adding words to those files, not of touching
the rules. A bad entry (an unknown key, a wrong type, a regex that does not compile, a metric type
that does not exist) stops the import with one line naming the file and the entry, so a typo never
silently drops a word.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VOCABULARY_DIR = Path(__file__).resolve().parent / "vocabulary"
METRIC_TYPES = ("quality", "cost", "rate", "size")


class VocabularyError(ValueError):
    """A vocabulary file breaks its schema; the message names the file and the entry."""


@dataclass(frozen=True)
class Metric:
    name: str
    patterns: tuple[str, ...]
    higher_is_better: bool | None
    case_sensitive: bool
    type: str
    field: str
    points: bool = False
    fractions: bool = False


@dataclass(frozen=True)
class NounUnit:
    """A noun a quantity is counted in ("256 tokens" -> unit "tokens")."""

    pattern: re.Pattern[str]
    unit: str
    metric: str | None


# --- the schema checker --------------------------------------------------------------------------

_TYPE_NAMES = {str: "a string", bool: "true or false", int: "an integer", list: "a list", dict: "a table"}


class _Entry:
    """One TOML table being checked: every read names the file and entry on failure, and
    :meth:`done` rejects keys nobody read (a misspelt key is an error, not a silent default)."""

    def __init__(self, file: str, where: str, table: Any) -> None:
        self.file, self.where = file, where
        if not isinstance(table, dict):
            self.fail(f"must be a table, not {table!r}")
        self.table, self.read = table, set()

    def fail(self, message: str) -> None:
        raise VocabularyError(f"{self.file}: {self.where}: {message}")

    def get(self, key: str, kind: type, default: Any = ...) -> Any:
        self.read.add(key)
        if key not in self.table:
            if default is ...:
                self.fail(f"missing key {key!r}")
            return default
        value = self.table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(f"{key!r} must be {_TYPE_NAMES[kind]}, not {value!r}")
        return value

    def words(self, key: str, regex: bool = True) -> tuple[str, ...]:
        """A non-empty list of strings; with ``regex`` each must compile."""
        values = self.get(key, list)
        if not values:
            self.fail(f"{key!r} is empty")
        for value in values:
            if not isinstance(value, str) or not value:
                self.fail(f"{key!r} must hold non-empty strings, not {value!r}")
            if regex:
                self.regex(key, value)
        return tuple(values)

    def mapping(self, key: str) -> dict[str, str]:
        values = self.get(key, dict)
        for name, value in values.items():
            if not isinstance(value, str) or not value:
                self.fail(f"{key}.{name} must be a non-empty string, not {value!r}")
        return dict(values)

    def regex(self, key: str, pattern: str) -> re.Pattern[str]:
        try:
            return re.compile(pattern)
        except re.error as error:
            self.fail(f"{key!r}: {pattern!r} is not a valid regular expression ({error})")

    def done(self) -> None:
        unknown = sorted(set(self.table) - self.read)
        if unknown:
            self.fail(f"unknown key(s) {', '.join(map(repr, unknown))}")


def _read(path: Path) -> _Entry:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise VocabularyError(f"{path.name}: {error}") from None
    return _Entry(path.name, "top level", data)


def load_metrics(path: Path) -> tuple[Metric, ...]:
    top = _read(path)
    metrics = []
    for i, table in enumerate(top.get("metric", list), 1):
        entry = _Entry(top.file, f"metric #{i} ({table.get('name', '?') if isinstance(table, dict) else '?'})", table)
        metric = Metric(
            name=entry.get("name", str),
            patterns=entry.words("patterns"),
            higher_is_better=entry.get("higher_is_better", bool, None),
            case_sensitive=entry.get("case_sensitive", bool, False),
            type=entry.get("type", str),
            field=entry.get("field", str),
            points=entry.get("points", bool, False),
            fractions=entry.get("fractions", bool, False),
        )
        if metric.type not in METRIC_TYPES:
            entry.fail(f"type must be one of {', '.join(METRIC_TYPES)}, not {metric.type!r}")
        entry.done()
        metrics.append(metric)
    top.done()
    return tuple(metrics)


def load_units(path: Path) -> dict[str, Any]:
    top = _read(path)
    nouns = []
    for i, table in enumerate(top.get("noun", list), 1):
        entry = _Entry(top.file, f"noun #{i}", table)
        pattern = entry.get("pattern", str)
        nouns.append(NounUnit(entry.regex("pattern", rf"(?:{pattern})\b"), entry.get("unit", str),
                              entry.get("metric", str, None)))
        entry.done()
    rates = _Entry(top.file, "rates", top.get("rates", dict))
    units = {
        "magnitudes": top.mapping("magnitudes"), "symbols": top.mapping("symbols"),
        "compounds": top.mapping("compounds"), "symbol_metrics": top.mapping("symbol_metrics"),
        "nouns": tuple(nouns), "rate_units": frozenset(rates.words("units", regex=False)),
        "per_nouns": rates.words("per"),
    }
    if set(units["magnitudes"].values()) - set(MAGNITUDE_SCALE):
        top.fail(f"magnitudes must map to one of {', '.join(MAGNITUDE_SCALE)}")
    rates.done()
    top.done()
    return units


def load_lists(path: Path, patterns: tuple[str, ...], words: tuple[str, ...] = (),
               numbers: tuple[str, ...] = ()) -> dict[str, Any]:
    """A file of named lists of regexes (``patterns``) or plain words (``words``) and integer
    settings (``numbers``): every key required, no others allowed."""
    top = _read(path)
    lists: dict[str, Any] = {key: top.words(key) for key in patterns}
    lists.update({key: top.words(key, regex=False) for key in words})
    lists.update({key: top.get(key, int) for key in numbers})
    top.done()
    return lists


MAGNITUDE_SCALE: dict[str, float] = {"k": 1e3, "M": 1e6, "G": 1e9, "B": 1e9, "T": 1e12}


# --- the loaded vocabulary and the patterns built from it -------------------------------------------


def alternation(patterns: list[str] | tuple[str, ...]) -> str:
    """One regex alternation, longest first, so "a hundred" wins over "hundred"."""
    return "|".join(sorted(patterns, key=len, reverse=True))


def _words_re(words: tuple[str, ...], flags: int = re.I) -> re.Pattern[str]:
    """Whole words; a cue word never starts a compound ("cutting-edge", "throughput-oriented")."""
    return re.compile(rf"\b(?:{'|'.join(words)})\b(?!-)", flags)


def _metric_regex(metrics: tuple[Metric, ...]) -> re.Pattern[str]:
    """All metric patterns as named groups m0, m1, ... so a match tells which entry it was."""
    groups = []
    for i, metric in enumerate(metrics):
        scope = "(?:" if metric.case_sensitive else "(?i:"
        groups.append(f"(?P<m{i}>{scope}{'|'.join(metric.patterns)}))")
    # also "t-AUC", "gFID", "Macro-F1", "micro F1"
    prefix = r"(?:[a-z]{1,2}-|(?i:micro|macro|weighted|mean|average)[- ]?(?=[A-Z]))??"
    return re.compile(r"(?<![\w-])" + prefix + "(?:" + "|".join(groups) + r")(?![\w])")


METRICS = load_metrics(VOCABULARY_DIR / "metrics.toml")
METRIC_RE = _metric_regex(METRICS)
COST_METRICS = frozenset(m.name for m in METRICS if m.type == "cost")
NOT_SCORES = frozenset(m.name for m in METRICS if m.type in {"cost", "size"})
"""Metrics a bare number next to is a size, not a result ("7 data sets", "256 resolution")."""
DIRECTION = {m.name: m.higher_is_better for m in reversed(METRICS)}
POINTS_METRICS = frozenset(m.name for m in METRICS if m.points)
"""Metrics stated in percent: a bare change in one is in percentage points ("+8.6 EM", "2.4 F1 improvement")."""
FRACTION_METRICS = frozenset(m.name for m in METRICS if m.fractions)
"""Metrics often written as a fraction (AUC 0.91): a bare change below 1 in one is in its own units."""


def metric_at(match: re.Match[str]) -> Metric:
    """The vocabulary entry a METRIC_RE match is for."""
    return METRICS[int(match.lastgroup[1:])]


_UNITS = load_units(VOCABULARY_DIR / "units.toml")
MAGNITUDES: dict[str, str] = _UNITS["magnitudes"]
SYMBOL_UNITS: dict[str, str] = _UNITS["symbols"]
COMPOUND_UNITS: dict[str, str] = _UNITS["compounds"]
NOUN_UNITS: tuple[NounUnit, ...] = _UNITS["nouns"]
UNIT_NOUN_RE = re.compile("|".join(f"(?:{n.pattern.pattern})" for n in NOUN_UNITS))
UNIT_METRICS: dict[str, str] = {n.unit: n.metric for n in NOUN_UNITS if n.metric} | _UNITS["symbol_metrics"]
RATE_UNITS: frozenset[str] = _UNITS["rate_units"]
PER_NOUNS = "|".join(_UNITS["per_nouns"])

_NOUNS = load_lists(VOCABULARY_DIR / "nouns.toml", ("evaluated", "parts", "used_shares", "settings", "hyperparameters"))
COUNT_NOUN_RE = re.compile(rf"(?:{alternation(_NOUNS['evaluated'])})\b")
PARTS_RE = re.compile(rf"\b(?:{alternation(_NOUNS['parts'])})\b", re.I)
SETTINGS = "|".join(_NOUNS["settings"])
HYPERPARAMETER_RE = re.compile(
    rf"\b(?:{alternation(_NOUNS['hyperparameters'])})\s*(?:of|=|:|is|was|at|to|set to)?\s*\(?\s*$", re.I
)
"""A hyperparameter written right before its value: "dropout (0.3)", "lr=", "a temperature of"."""
USED_SHARE_RE = re.compile(rf"\s*(?:of )?(?:the )?(?:(?!(?:in|on|at|for|with|by|to)\b)\w+[- ]){{0,2}}(?:{'|'.join(_NOUNS['used_shares'])})\b", re.I)

_CUES = load_lists(
    VOCABULARY_DIR / "cues.toml",
    ("speed", "reduce", "improve", "grow", "worse", "speed_stages", "cut_verbs", "baseline_subjects"),
)
SPEED_RE = _words_re(_CUES["speed"])
REDUCE_WORDS = "|".join(_CUES["reduce"])
REDUCE_RE = _words_re(_CUES["reduce"])
IMPROVE_RE = _words_re(_CUES["improve"])
GROW_RE = _words_re(_CUES["grow"])
WORSE_RE = _words_re(_CUES["worse"])
CUES = (("worse", WORSE_RE), ("speedup", SPEED_RE), ("reduction", REDUCE_RE), ("improvement", IMPROVE_RE),
        ("scale", GROW_RE))
"""Cue words by the kind they give, strongest first: speed before reduce before improve before size."""
STAGE_RE = re.compile(rf"\b(?:{'|'.join(_CUES['speed_stages'])})\b", re.I)
CUT_VERBS = "|".join(_CUES["cut_verbs"])
BASELINE_SUBJECT_RE = re.compile(rf"\b(?:{'|'.join(_CUES['baseline_subjects'])})\b(?!-)", re.I)

_NAMES = load_lists(
    VOCABULARY_DIR / "names.toml",
    patterns=("references", "labels", "capitalized_references", "hardware", "model_families"),
    words=("abbreviations", "adverbs", "determiners", "baseline_stop", "generic_heads"),
)
REFERENCE_WORDS = f"(?i:{'|'.join(_NAMES['references'])})|{'|'.join(_NAMES['capitalized_references'])}"
LABEL_WORDS = "|".join(_NAMES["labels"])
ABBREVIATIONS = frozenset(_NAMES["abbreviations"])
HARDWARE = "|".join(_NAMES["hardware"])
MODEL_FAMILIES = "|".join(_NAMES["model_families"])
ADVERBS = frozenset(_NAMES["adverbs"])
DETERMINERS = frozenset(_NAMES["determiners"])
BASELINE_STOP = frozenset(_NAMES["baseline_stop"])
GENERIC_HEADS = frozenset(_NAMES["generic_heads"])
