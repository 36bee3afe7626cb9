"""Score the claims extractor against the hand-annotated development sets.

    python benchmarks/claims_eval.py [DEV_DIR] [--errors PART] [--half even|odd] [--quantulum]
                                     [--extra DIR ...] [--sets NAME[:even|odd] ...] [--no-dev]

DEV_DIR holds ``papers_dev.jsonl``/``claims_dev.jsonl`` and ``papers_dev2.jsonl``/``claims_dev2.jsonl``
(default: ../shared/dev next to the repository). Three parts are scored separately, because they are
different kinds of abstracts: ``dev`` (the default corpus), ``conference`` (dev2 n 0-119, proceedings
of many fields) and ``arxiv`` (dev2 n 120-199, raw LaTeX). The matching rule is the one in
DEV_DIR/README.md: same paper, kind and unit, value within 1e-6 relative, one-to-one.

Per part it prints precision / recall / F1 per kind, overall, "speedup+reduction" and "results
without scale" (the four non-scale kinds pooled); role accuracy among matched non-scale claims; role
recall on the gold baseline/context claims (found, with the same role); and the metric / baseline /
dataset agreement among matched claims. ``--errors PART`` lists that part's misses and false
positives; ``--half`` keeps only even or odd paper numbers, to develop on one half and check the other.

``--extra DIR`` also scores every ``papers_<name>.jsonl`` / ``claims_<name>.jsonl`` pair in DIR (sets
annotated outside the repository, such as blind held-out sets), as part ``<DIR name>/<name>[:half]``;
``--sets`` keeps only the named ones, each optionally with its own half (``default:even``), and
``--no-dev`` skips DEV_DIR. Without ``--errors`` nothing but aggregate figures is printed, so a test
set can be scored without showing its claims.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.claims import KINDS, claims_in_text

DEFAULT_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "dev"
RESULT_KINDS = ("speedup", "reduction", "score", "improvement")
POOLS: dict[str, tuple[str, ...]] = {
    "speedup+reduction": ("speedup", "reduction"),
    "results without scale": RESULT_KINDS,
    "overall": KINDS,
}


@dataclass(frozen=True)
class Part:
    """One scored slice of a development set."""

    name: str
    papers_file: str
    claims_file: str
    keep: Callable[[int], bool]


PARTS = (
    Part("dev", "papers_dev.jsonl", "claims_dev.jsonl", lambda n: True),
    Part("conference", "papers_dev2.jsonl", "claims_dev2.jsonl", lambda n: n < 120),
    Part("arxiv", "papers_dev2.jsonl", "claims_dev2.jsonl", lambda n: n >= 120),
)


@dataclass(frozen=True)
class Item:
    """A claim reduced to what the matching rule and the agreement scores look at."""

    paper: int
    kind: str
    value: float
    unit: str
    text: str
    metric: str = ""
    baseline: str = ""
    dataset: str = ""
    role: str = ""
    position: int = -1


def extra_parts(folder: Path, sets: list[str] | None = None) -> list[tuple[Part, str | None]]:
    """The papers/claims pairs of an annotation folder, each with the half to keep: all of them, or
    those named in ``sets`` ("default", "default:even"). Unknown names are an error."""
    available = sorted(p.name[len("papers_"):-len(".jsonl")] for p in folder.glob("papers_*.jsonl")
                       if (folder / p.name.replace("papers_", "claims_", 1)).exists())
    wanted = [(spec.partition(":")[0], spec.partition(":")[2] or None) for spec in sets] if sets else \
        [(name, None) for name in available]
    parts = []
    for name, half in wanted:
        if half not in (None, "even", "odd"):
            raise ValueError(f"--sets {name}:{half}: the half must be even or odd")
        if name not in available:
            raise ValueError(f"no papers_{name}.jsonl with claims_{name}.jsonl in {folder}")
        label = f"{folder.name}/{name}" + (f":{half}" if half else "")
        parts.append((Part(label, f"papers_{name}.jsonl", f"claims_{name}.jsonl", lambda n: True),
                      half))
    return parts


def load(dev: Path, part: Part = PARTS[0], half: str | None = None) -> tuple[dict[int, str], list[Item]]:
    """Abstracts by paper number, and the gold claims, of one part."""
    def kept(n: int) -> bool:
        return part.keep(n) and (half is None or n % 2 == (half == "odd"))

    papers = {row["n"]: row["abstract"] for row in _jsonl(dev / part.papers_file) if kept(row["n"])}
    gold = [
        Item(row["n"], row["kind"], float(row["value"]), row["unit"], row["text"], row["metric"] or "",
             row["baseline"] or "", row["dataset"] or "", row.get("role") or "", papers[row["n"]].find(row["text"]))
        for row in _jsonl(dev / part.claims_file)
        if row["n"] in papers
    ]
    return papers, gold


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def ours(papers: dict[int, str]) -> list[Item]:
    return [
        Item(n, c.kind, c.value, c.unit, c.text, c.metric or "", c.baseline or "", c.dataset or "",
             getattr(c, "role", None) or "", c.start)
        for n, abstract in papers.items()
        for c in claims_in_text(abstract)
    ]


def match(gold: list[Item], predicted: list[Item]) -> list[tuple[Item, Item]]:
    """One-to-one matches; among equal candidates the one nearest the gold evidence wins."""
    free = list(predicted)
    pairs = []
    for g in gold:
        candidates = [p for p in free if _same(g, p)]
        if candidates:
            best = min(candidates, key=lambda p: abs(p.position - g.position))
            free.remove(best)
            pairs.append((g, best))
    return pairs


def _same(g: Item, p: Item) -> bool:
    close = abs(g.value - p.value) <= 1e-6 * max(abs(g.value), abs(p.value), 1e-12)
    return g.paper == p.paper and g.kind == p.kind and g.unit == p.unit and close


Score = tuple[float, float, float, int, int]
"""precision, recall, F1, number of gold claims, number of predicted claims"""


def scores(gold: list[Item], predicted: list[Item], pairs: list[tuple[Item, Item]]) -> dict[str, Score]:
    """Precision, recall and F1 per kind, and for the pooled kinds of POOLS."""
    table = {}
    for name in (*KINDS, *POOLS):
        kinds = POOLS.get(name, (name,))
        tp = sum(1 for g, _ in pairs if g.kind in kinds)
        n_gold = sum(1 for g in gold if g.kind in kinds)
        n_pred = sum(1 for p in predicted if p.kind in kinds)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[name] = (precision, recall, f1, n_gold, n_pred)
    return table


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def agreement(pairs: list[tuple[Item, Item]]) -> dict[str, float]:
    """Share of matched claims whose metric / baseline / dataset agree after normalization."""
    if not pairs:
        return dict.fromkeys(("metric", "baseline", "dataset"), 0.0)
    return {
        field: sum(_norm(getattr(g, field)) == _norm(getattr(p, field)) for g, p in pairs) / len(pairs)
        for field in ("metric", "baseline", "dataset")
    }


def roles(gold: list[Item], pairs: list[tuple[Item, Item]]) -> dict[str, tuple[float, int]]:
    """Role accuracy among matched non-scale claims, and the share of gold baseline/context claims
    found with that role (a miss counts against it): (share, number of claims it is over)."""
    results = [(g, p) for g, p in pairs if g.kind != "scale"]
    others = [g for g in gold if g.role in {"baseline", "context"}]
    found = {id(g) for g, p in pairs if g.role in {"baseline", "context"} and p.role == g.role}
    accuracy = sum(g.role == p.role for g, p in results) / len(results) if results else 0.0
    recall = sum(id(g) in found for g in others) / len(others) if others else 0.0
    return {"role accuracy": (accuracy, len(results)), "baseline/context found": (recall, len(others))}


@dataclass
class Result:
    part: str
    table: dict[str, Score]
    agree: dict[str, float]
    role: dict[str, tuple[float, int]]
    n_pairs: int
    misses: list[Item]
    false_positives: list[Item]
    wrong_roles: list[tuple[Item, Item]]


def evaluate(dev: Path, part: Part, half: str | None = None) -> Result:
    papers, gold = load(dev, part, half)
    predicted = ours(papers)
    pairs = match(gold, predicted)
    matched_gold = {id(g) for g, _ in pairs}
    matched_pred = {id(p) for _, p in pairs}
    wrong_roles = [(g, p) for g, p in pairs if g.kind != "scale" and g.role != p.role]
    return Result(
        part.name, scores(gold, predicted, pairs), agreement(pairs), roles(gold, pairs), len(pairs),
        [g for g in gold if id(g) not in matched_gold],
        [p for p in predicted if id(p) not in matched_pred], wrong_roles,
    )


# --- quantulum3 reference -----------------------------------------------------------------------


def quantulum_items(papers: dict[int, str]) -> list[Item] | None:
    """quantulum3's quantities mapped to our kinds as well as a unit parser allows, or None if absent."""
    try:
        from quantulum3 import classifier, parser
    except ImportError:
        return None
    try:
        with warnings.catch_warnings():  # the pickle also warns about the scikit-learn version
            warnings.simplefilter("ignore")
            classifier.classifier("en_US", None)
    except Exception as error:  # its pickled unit classifier needs the scikit-learn it was built with
        print(f"note: quantulum3's unit classifier does not load ({type(error).__name__}: {error}); "
              "using its rule-based disambiguation instead")
        classifier.USE_CLF = False
    items = []
    for n, abstract in papers.items():
        for quantity in parser.parse(abstract):
            kind, value, unit = _map_quantity(quantity)
            items.append(Item(n, kind, value, unit, quantity.surface, position=quantity.span[0]))
    return items


_MAGNITUDES = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
_SUFFIX_RE = re.compile(r"\d\s?(?P<mag>[kKMBT])$")


def _map_quantity(quantity) -> tuple[str, float, str]:
    """Ratio ("x", "times") -> speedup, percent -> improvement, K/M/B or a physical unit -> scale,
    NxN -> scale in px, a dimensionless number -> score."""
    surface = quantity.surface.strip()
    name, entity = quantity.unit.name, quantity.unit.entity.name
    if re.search(r"\d\s?(?:x|X|×|times)\s?\d", surface):
        side = re.match(r"[\d.]+", surface)
        return "scale", float(side.group()) if side else quantity.value, "px"
    if name == "percentage":
        return "improvement", quantity.value, "%"
    if re.search(r"(?:x|X|×|times|fold)$", surface):
        return "speedup", quantity.value, "x"
    suffix = _SUFFIX_RE.search(surface)
    if suffix:
        scale = _MAGNITUDES[suffix.group("mag")]
        value = quantity.value / scale if quantity.value >= scale else quantity.value  # 1.3 billion -> 1.3e9
        return "scale", value, suffix.group("mag").replace("K", "k")
    if entity == "dimensionless":
        return "score", quantity.value, ""
    return "scale", quantity.value, (quantity.unit.symbols or [name])[0]


# --- printing ---------------------------------------------------------------------------------------


def print_results(results: list[Result]) -> None:
    """One table of P/R/F1 per kind with a column group per part, then roles and agreement."""
    header = f"{'kind':<23}" + "".join(f"{r.part + ' (gold/pred P R F1)':>36}" for r in results)
    print(header)
    for name in (*KINDS, *POOLS):
        cells = []
        for r in results:
            p, rec, f, n_gold, n_pred = r.table[name]
            cells.append(f"{n_gold:>6}{n_pred:>6}{p:>8.3f}{rec:>8.3f}{f:>8.3f}")
        print(f"{name:<23}" + "".join(cells))
    print()
    for label in ("role accuracy", "baseline/context found"):
        print(f"{label:<23}" + "".join(f"{r.role[label][0]:>28.3f} (of {r.role[label][1]:>3})" for r in results))
    for field in ("metric", "baseline", "dataset"):
        print(f"{field + ' agreement':<23}" + "".join(f"{r.agree[field]:>36.3f}" for r in results))
    print(f"{'matched claims':<23}" + "".join(f"{r.n_pairs:>36}" for r in results))


def _print_errors(title: str, items: list[Item]) -> None:
    print(f"\n{title} ({len(items)})")
    for item in sorted(items, key=lambda i: (i.paper, i.position)):
        print(f"  [{item.paper:>3}] {item.kind:<11} {item.value:g} {item.unit!r:<10} {item.role or '-':<8} "
              f"{item.text!r}  metric={item.metric!r}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dev", nargs="?", type=Path, default=DEFAULT_DEV, help="folder with the dev set files")
    parser.add_argument("--errors", metavar="PART", help="list this part's misses and false positives")
    parser.add_argument("--half", choices=["even", "odd"], help="only papers with even or odd n (dev parts)")
    parser.add_argument("--quantulum", action="store_true", help="also score quantulum3 (bench extra) on each part")
    parser.add_argument("--extra", type=Path, action="append", default=[], metavar="DIR",
                        help="also score the papers_<name>/claims_<name>.jsonl pairs in DIR")
    parser.add_argument("--sets", nargs="+", metavar="NAME[:even|odd]", help="only these sets of the --extra folders")
    parser.add_argument("--no-dev", action="store_true", help="score only the --extra folders")
    args = parser.parse_args(argv)
    jobs: list[tuple[Path, Part, str | None]] = []
    if not args.no_dev:
        needed = sorted({name for p in PARTS for name in (p.papers_file, p.claims_file)})
        missing = [name for name in needed if not (args.dev / name).exists()]
        if missing:
            parser.error(f"{', '.join(missing)} not found in {args.dev}")
        jobs += [(args.dev, part, args.half) for part in PARTS]
    for folder in args.extra:
        if not folder.is_dir():
            parser.error(f"--extra {folder}: not a folder")
        try:
            jobs += [(folder, part, half) for part, half in extra_parts(folder, args.sets)]
        except ValueError as error:
            parser.error(str(error))
    if not jobs:
        parser.error("nothing to score")
    if args.errors and args.errors not in {part.name for _, part, _ in jobs}:
        parser.error(f"--errors {args.errors}: not one of {', '.join(part.name for _, part, _ in jobs)}")
    results = [evaluate(folder, part, half) for folder, part, half in jobs]
    print_results(results)
    if args.quantulum:
        for folder, part, half in jobs:
            papers, gold = load(folder, part, half)
            reference = quantulum_items(papers)
            if reference is None:
                print("quantulum3 is not installed (pip install -e '.[bench]')")
                break
            table = scores(gold, reference, match(gold, reference))
            print(f"quantulum3 on {part.name}: " + ", ".join(f"{k} F1 {table[k][2]:.3f}" for k in (*KINDS, *POOLS)))
    if args.errors:
        result = next(r for r in results if r.part == args.errors)
        _print_errors(f"Misses on {result.part} (gold claims not found)", result.misses)
        _print_errors(f"False positives on {result.part}", result.false_positives)
        print(f"\nWrong roles on {result.part} ({len(result.wrong_roles)})")
        for g, p in sorted(result.wrong_roles, key=lambda pair: (pair[0].paper, pair[0].position)):
            print(f"  [{g.paper:>3}] {g.kind:<11} {g.value:g} {g.unit!r:<6} gold {g.role:<8} ours {p.role or '-':<8} {g.text!r}")

if __name__ == "__main__":
    main()
