"""Score the claims extractor against the hand-annotated development set.

    python benchmarks/claims_eval.py [DEV_DIR]

DEV_DIR holds ``papers_dev.jsonl`` and ``claims_dev.jsonl`` (default: ../shared/dev next to the
repository). The matching rule is the one in DEV_DIR/README.md: same paper, kind and unit, value
within 1e-6 relative, one-to-one. Prints precision / recall / F1 per kind and overall for our
extractor and for quantulum3 (a general quantity parser, as a reference; a benchmark-only extra),
the metric / baseline / dataset agreement among matched claims, then our misses and false positives.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.claim_rules import MAGNITUDE_SCALE, MAGNITUDES
from pipeline.claims import KINDS, claims_in_text

DEFAULT_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "dev"


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
    position: int = -1


def load(dev: Path) -> tuple[dict[int, str], list[Item]]:
    """Abstracts by paper number, and the gold claims."""
    papers = {row["n"]: row["abstract"] for row in _jsonl(dev / "papers_dev.jsonl")}
    gold = [
        Item(row["n"], row["kind"], float(row["value"]), row["unit"], row["text"], row["metric"] or "",
             row["baseline"] or "", row["dataset"] or "", papers[row["n"]].find(row["text"]))
        for row in _jsonl(dev / "claims_dev.jsonl")
    ]
    return papers, gold


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def ours(papers: dict[int, str]) -> list[Item]:
    return [
        Item(n, c.kind, c.value, c.unit, c.text, c.metric or "", c.baseline or "", c.dataset or "", c.start)
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
    """Precision, recall and F1 per kind and overall."""
    table = {}
    for kind in (*KINDS, "overall"):
        keep = (lambda item: True) if kind == "overall" else (lambda item, k=kind: item.kind == k)
        tp = sum(1 for g, _ in pairs if keep(g))
        n_gold = sum(1 for g in gold if keep(g))
        n_pred = sum(1 for p in predicted if keep(p))
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[kind] = (precision, recall, f1, n_gold, n_pred)
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


# --- quantulum3 reference -----------------------------------------------------------------------

_SUFFIX_RE = re.compile(rf"\d\s?(?P<mag>{'|'.join(MAGNITUDES)})$")


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
        mag = MAGNITUDES[suffix.group("mag")]
        scale = MAGNITUDE_SCALE[mag]  # quantulum3 may have multiplied it out: 1.3 billion -> 1.3e9
        value = quantity.value / scale if quantity.value >= scale else quantity.value
        return "scale", value, mag
    if entity == "dimensionless":
        return "score", quantity.value, ""
    return "scale", quantity.value, (quantity.unit.symbols or [name])[0]


# --- printing ---------------------------------------------------------------------------------------


def _print_tables(rows: dict[str, dict], agree: dict[str, float], n_pairs: int) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        _print_plain(rows, agree, n_pairs)
        return
    table = Table(title="Claims extraction on the development set")
    table.add_column("system")
    table.add_column("kind")
    for column in ("gold", "pred", "P", "R", "F1"):
        table.add_column(column, justify="right")
    for system, result in rows.items():
        if result is None:
            table.add_row(system, "skipped: quantulum3 is not installed (pip install quantulum3)", *[""] * 5)
            continue
        for kind, (p, r, f, n_gold, n_pred) in result.items():
            table.add_row(system, kind, str(n_gold), str(n_pred), f"{p:.3f}", f"{r:.3f}", f"{f:.3f}",
                          style="bold" if kind == "overall" else None)
        table.add_section()
    console = Console()
    console.print(table)
    agree_table = Table(title=f"Agreement among {n_pairs} matched claims (ours)")
    for field in agree:
        agree_table.add_column(field, justify="right")
    agree_table.add_row(*(f"{v:.3f}" for v in agree.values()))
    console.print(agree_table)


def _print_plain(rows: dict[str, dict], agree: dict[str, float], n_pairs: int) -> None:
    print(f"{'system':<12}{'kind':<13}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for system, result in rows.items():
        if result is None:
            print(f"{system:<12}skipped: quantulum3 is not installed (pip install quantulum3)")
            continue
        for kind, (p, r, f, n_gold, n_pred) in result.items():
            print(f"{system:<12}{kind:<13}{n_gold:>6}{n_pred:>6}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    print(f"agreement among {n_pairs} matched claims: " + ", ".join(f"{k} {v:.3f}" for k, v in agree.items()))


def _print_errors(title: str, items: list[Item]) -> None:
    print(f"\n{title} ({len(items)})")
    for item in sorted(items, key=lambda i: (i.paper, i.position)):
        print(f"  [{item.paper:>3}] {item.kind:<11} {item.value:g} {item.unit!r:<10} {item.text!r}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dev", nargs="?", type=Path, default=DEFAULT_DEV,
                        help="folder with papers_dev.jsonl and claims_dev.jsonl")
    args = parser.parse_args(argv)
    missing = [name for name in ("papers_dev.jsonl", "claims_dev.jsonl") if not (args.dev / name).exists()]
    if missing:
        parser.error(f"{', '.join(missing)} not found in {args.dev}")
    papers, gold = load(args.dev)
    predicted = ours(papers)
    pairs = match(gold, predicted)
    reference = quantulum_items(papers)
    rows = {
        "ours": scores(gold, predicted, pairs),
        "quantulum3": None if reference is None else scores(gold, reference, match(gold, reference)),
    }
    _print_tables(rows, agreement(pairs), len(pairs))
    matched_gold = {id(g) for g, _ in pairs}
    matched_pred = {id(p) for _, p in pairs}
    _print_errors("Misses (gold claims not found)", [g for g in gold if id(g) not in matched_gold])
    _print_errors("False positives", [p for p in predicted if id(p) not in matched_pred])


if __name__ == "__main__":
    main()
