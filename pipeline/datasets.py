"""Dataset names normalized: "ImageNet 256x256", "ImageNet-256" and "ImageNet 256×256" are one benchmark.

Two steps. A spelling rule gives every name a key that ignores what writers vary freely (case,
spaces and hyphens, "256x256" / "256×256" / "256", "2014" / "14", "English-German" / "En-De", a
trailing "dataset"). The alias table (`pipeline/data/dataset_aliases.csv`, data, not code) then
joins what no rule can know ("ILSVRC-2012" is ImageNet, "PTB" is the Penn Treebank) and fixes the
name shown for its benchmarks. Every merge is recorded in the `dataset_aliases` table, so a reader
can see which names were counted as one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from pipeline import schema, vocab

ALIASES_FILE = "dataset_aliases.csv"
COLUMNS = [vocab.Column("alias", vocab.text), vocab.Column("dataset", vocab.text)]

# Language names in translation pairs, to the codes papers also write ("WMT14 En-De").
LANGUAGE_CODES = {
    "english": "en", "german": "de", "french": "fr", "chinese": "zh", "romanian": "ro", "czech": "cs",
    "russian": "ru", "japanese": "ja", "spanish": "es", "finnish": "fi", "turkish": "tr", "arabic": "ar",
    "italian": "it", "portuguese": "pt", "korean": "ko", "hindi": "hi", "vietnamese": "vi", "estonian": "et",
    "latvian": "lv", "lithuanian": "lt", "kazakh": "kk", "gujarati": "gu", "nepali": "ne", "sinhala": "si",
}
# Words around a name that do not change which benchmark it is ("the COCO dataset").
FILLER_BEFORE = {"the"}
FILLER_AFTER = {"dataset", "datasets", "benchmark", "benchmarks", "corpus", "data", "set"}

_TIMES = r"(?:x|×|\*|\\times|times)"
_RESOLUTION_RE = re.compile(rf"(\d+)\s*{_TIMES}\s*(\d+)")
_PIXELS_RE = re.compile(r"(\d+)\s*(?:px|pixels?)\b")
_YEAR_RE = re.compile(r"(?<![\d.])(?:19[89]|20[0-3])\d(?![\d.])")
_TOKEN_RE = re.compile(r"[^\W_]+")

RULE_AS_WRITTEN = "as written"
RULE_SPELLING = "spelling"
RULE_ALIAS = "alias table"


def dataset_key(name: str) -> str:
    """The spelling-free identity of a dataset name: equal keys are the same benchmark."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("'", "").replace("’", "")
    text = _RESOLUTION_RE.sub(lambda m: m[1] if m[1] == m[2] else f"{m[1]}x{m[2]}", text)
    text = _PIXELS_RE.sub(r"\1", text)
    text = _YEAR_RE.sub(lambda m: m[0][2:], text)
    tokens = [LANGUAGE_CODES.get(token, token) for token in _TOKEN_RE.findall(text)]
    tokens = [t for i, t in enumerate(tokens)  # "English-to-German": the "to" between two languages
              if not (t == "to" and 0 < i < len(tokens) - 1 and _is_language(tokens[i - 1]) and _is_language(tokens[i + 1]))]
    while len(tokens) > 1 and tokens[0] in FILLER_BEFORE:
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in FILLER_AFTER:
        tokens = tokens[:-1]
    return "".join(tokens) or text.strip()


def _is_language(token: str) -> bool:
    return token in LANGUAGE_CODES.values()


@dataclass(frozen=True)
class AliasTable:
    """Keys of aliases to the dataset shown for them, and the names shown for canonical keys."""

    aliases: dict[str, str]
    canonical: dict[str, str]

    def lookup(self, key: str) -> tuple[str, str] | None:
        """(name to show, rule) for a key the table knows, else None."""
        if key in self.aliases:
            return self.aliases[key], RULE_ALIAS
        if key in self.canonical:
            return self.canonical[key], RULE_SPELLING
        return None


def parse_aliases(content: str, source: str) -> AliasTable:
    """The alias table from CSV text; a redundant, repeated or chained alias is an error naming its line."""
    aliases: dict[str, tuple[str, int]] = {}
    canonical: dict[str, tuple[str, int]] = {}
    for line, row in vocab.read_rows(content, source, COLUMNS):
        alias, dataset = str(row["alias"]), str(row["dataset"])
        alias_key, dataset_key_ = dataset_key(alias), dataset_key(dataset)
        if alias_key == dataset_key_:
            raise vocab.VocabularyError(f"{source}:{line}: {alias!r} and {dataset!r} are merged by the spelling rule "
                                        "already; the line is not needed")
        if alias_key in aliases:
            raise vocab.VocabularyError(f"{source}:{line}: {alias!r} is already an alias (line {aliases[alias_key][1]})")
        shown = canonical.get(dataset_key_)
        if shown and shown[0] != dataset:
            raise vocab.VocabularyError(f"{source}:{line}: {dataset!r} is written {shown[0]!r} on line {shown[1]}; "
                                        "write it one way")
        aliases[alias_key] = (dataset, line)
        canonical.setdefault(dataset_key_, (dataset, line))
    for key, (dataset, line) in canonical.items():
        if key in aliases:
            raise vocab.VocabularyError(f"{source}:{line}: {dataset!r} is itself an alias (line {aliases[key][1]}); "
                                        "point aliases at the final name")
    return AliasTable({k: v for k, (v, _) in aliases.items()}, {k: v for k, (v, _) in canonical.items()})


@lru_cache(maxsize=1)
def alias_table() -> AliasTable:
    """The packaged alias table, read once per process."""
    return parse_aliases(*vocab.packaged(ALIASES_FILE))


def dataset_aliases(claims: pd.DataFrame, table: AliasTable | None = None) -> pd.DataFrame:
    """The `dataset_aliases` table: each dataset name the claims use, the dataset it counts as, and why.

    Names the alias table does not know are shown in their most used spelling (ties: the first in
    alphabetical order), so "ImageNet 256x256" and "ImageNet 256×256" become whichever papers write more.
    """
    table = alias_table() if table is None else table
    counts = claims["dataset"].dropna().astype(str).value_counts()
    if counts.empty:
        return schema.empty(schema.DATASET_ALIASES)
    names = pd.DataFrame({"name": counts.index, "n_claims": counts.to_numpy()})
    names["key"] = names["name"].map(dataset_key)
    shown: dict[str, tuple[str, str]] = {}
    for key, group in names.groupby("key", sort=False):
        known = table.lookup(key)
        if known:
            shown[key] = known
        else:
            ranked = group.sort_values(["n_claims", "name"], ascending=[False, True])
            shown[key] = (ranked["name"].iloc[0], RULE_SPELLING)
    names["dataset"] = names["key"].map(lambda key: shown[key][0])
    names["rule"] = [RULE_AS_WRITTEN if name == dataset else shown[key][1]
                     for name, dataset, key in zip(names["name"], names["dataset"], names["key"])]
    names = names.sort_values(["dataset", "n_claims", "name"], ascending=[True, False, True])
    return schema.conform(names, schema.DATASET_ALIASES)


def name_map(aliases: pd.DataFrame) -> dict[str, str]:
    """Extracted name → normalized name, from a `dataset_aliases` table."""
    return dict(zip(aliases["name"], aliases["dataset"]))


def merged_names(aliases: pd.DataFrame) -> pd.DataFrame:
    """Datasets that stand for more than one written name, with those names: what the report lists."""
    several = aliases.groupby("dataset").filter(lambda group: len(group) > 1)
    if several.empty:
        return pd.DataFrame(columns=["dataset", "names", "n_claims"])
    return (several.groupby("dataset")
            .agg(names=("name", lambda names: ", ".join(sorted(names))), n_claims=("n_claims", "sum"))
            .reset_index().sort_values(["n_claims", "dataset"], ascending=[False, True]).reset_index(drop=True))
