"""Account for every number: the share of numbers in the corpora that are neither a claim nor
dismissed with a named reason, and a sample of them to read.

    python benchmarks/number_accounting.py [CORPUS ...] [--sample 40] [--before REV] [--limit N]

A number is what an annotator's second pass lists, found here independently of the extractor: a digit
sequence ("1,024", "3.5", the "4" of "GPT-4"; "[4,8]" is two) or a number word ("three", "hundreds", "half", "twice",
"one-eighth"). It is accounted for when it lies inside a claim's evidence or inside a number the
extractor dismissed with a reason other than "no kind". ``--before REV`` also measures the extractor
of git revision REV (run from a ``git archive`` of it; claims only when that code has no dismissals).
Default corpora: ../shared/corpora/conference_abstracts.jsonl and arxiv_2025_26.jsonl.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
DEFAULT_CORPORA = [CORPORA / "conference_abstracts.jsonl", CORPORA / "arxiv_2025_26.jsonl"]

_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|"
    "millions?|billions?|trillions?|dozens?|half|halves|halved|halving|twice|doubles?|doubled|doubling|"
    "triples?|tripled|tripling|quadruple[sd]?|thirds?|quarters?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?"
)
CENSUS_RE = re.compile(rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|\b(?i:{_WORDS})\b")
"""Every number as an annotator lists it; "third" and "quarter" count only as fractions (below)."""
_FRACTION_ONLY = re.compile(r"(?i)thirds?|quarters?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?")


def census(abstract: str) -> list[tuple[int, int]]:
    """(start, end) of every number in the raw abstract."""
    spans = []
    for match in CENSUS_RE.finditer(abstract):
        if _FRACTION_ONLY.fullmatch(match.group()) and not re.search(r"(?i)(?:one|two|three|a)[- ]$",
                                                                     abstract[max(0, match.start() - 6):match.start()]):
            continue  # "the third stage", "a quarter" of the year: ordinals and words, not fractions
        spans.append(match.span())
    return spans


def read_abstracts(paths: list[Path], limit: int | None) -> list[tuple[str, str]]:
    """(source, abstract) of each record; arXiv snapshot lines and our JSONL both carry "abstract"."""
    rows = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for i, line in enumerate(handle):
                if limit is not None and i >= limit:
                    break
                abstract = json.loads(line).get("abstract") or ""
                if abstract:
                    rows.append((path.stem, abstract))
    return rows


def account(rows: list[tuple[str, str]], claims_only: bool) -> dict:
    """Counts of numbers by outcome, per source, and the unaccounted ones with their context."""
    if claims_only:
        from pipeline.claims import claims_in_text

        def covered(abstract: str) -> list[tuple[int, int, str]]:
            return [(c.start, c.end, "claim") for c in claims_in_text(abstract)]
    else:
        from pipeline.claims import numbers_in_text

        def covered(abstract: str) -> list[tuple[int, int, str]]:
            return [(n.start, n.end, "claim" if n.claim else n.reason) for n in numbers_in_text(abstract)]

    outcomes: dict[str, Counter] = {}
    left: list[tuple[str, str]] = []
    started = time.process_time()
    for source, abstract in rows:
        spans = covered(abstract)
        tally = outcomes.setdefault(source, Counter())
        for start, end in census(abstract):
            fate = next((why for s, e, why in spans if s <= start and end <= e), None)
            if fate is None or fate == "no kind":
                tally["unaccounted"] += 1
                left.append((source, _context(abstract, start, end)))
            else:
                tally[fate] += 1
    return {"outcomes": {k: dict(v) for k, v in outcomes.items()}, "left": left,
            "cpu_s": time.process_time() - started}


def _context(abstract: str, start: int, end: int, width: int = 60) -> str:
    before = abstract[max(0, start - width):start].replace("\n", " ")
    after = abstract[end:end + width].replace("\n", " ")
    return f"{before}[[{abstract[start:end]}]]{after}"


def _before_revision(rev: str, corpora: list[Path], limit: int | None) -> dict:
    """Run this script on revision REV's extractor in a fresh process (its package is another copy)."""
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "pipeline"], capture_output=True, check=True)
        with tarfile.open(fileobj=__import__("io").BytesIO(archive.stdout)) as tar:
            tar.extractall(folder, filter="data")
        package = Path(folder, "pipeline", "claims", "__init__.py")
        dismissals = package.exists() and "numbers_in_text" in package.read_text(encoding="utf-8")
        command = [sys.executable, __file__, *map(str, corpora), "--code", folder, "--json"]
        command += [] if dismissals else ["--claims-only"]
        if limit is not None:
            command += ["--limit", str(limit)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        return json.loads(done.stdout)


def _print_table(title: str, result: dict) -> None:
    print(f"\n{title}  (extractor CPU {result['cpu_s']:.1f} s)")
    sources = sorted(result["outcomes"])
    totals = {s: sum(result["outcomes"][s].values()) for s in sources}
    fates = sorted({f for s in sources for f in result["outcomes"][s]},
                   key=lambda f: (f != "claim", f == "unaccounted", -sum(result["outcomes"][s].get(f, 0) for s in sources)))
    print(f"{'outcome':<16}" + "".join(f"{s:>34}" for s in sources) + f"{'all':>22}")
    all_total = sum(totals.values())
    for fate in fates:
        counts = [result["outcomes"][s].get(fate, 0) for s in sources]
        cells = "".join(f"{c:>22,} ({c / totals[s]:6.1%})    " for c, s in zip(counts, sources))
        print(f"{fate:<16}{cells}{sum(counts):>12,} ({sum(counts) / all_total:6.1%})")
    print(f"{'numbers':<16}" + "".join(f"{totals[s]:>22,}{'':12}" for s in sources) + f"{all_total:>12,}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="*", type=Path, default=DEFAULT_CORPORA, help="JSON Lines files with 'abstract'")
    parser.add_argument("--sample", type=int, default=40, help="print this many unaccounted numbers (seeded)")
    parser.add_argument("--before", metavar="REV", help="also measure the extractor of this git revision")
    parser.add_argument("--limit", type=int, help="only the first N records of each corpus")
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--claims-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.corpora if not p.exists()]
    if missing:
        parser.error(f"not found: {', '.join(missing)}")
    sys.path.insert(0, str(args.code or REPO))
    rows = read_abstracts(args.corpora, args.limit)
    if args.json:
        result = account(rows, args.claims_only)
        result["left"] = []
        print(json.dumps(result))
        return
    if args.before:
        before = _before_revision(args.before, args.corpora, args.limit)
        only = " (claims only)" if set().union(*before["outcomes"].values()) <= {"claim", "unaccounted"} else ""
        _print_table(f"before: {args.before}{only}", before)
    result = account(rows, claims_only=False)
    _print_table(f"after: this checkout ({len(rows):,} abstracts)", result)
    sample = random.Random(0).sample(result["left"], min(args.sample, len(result["left"])))
    print(f"\nA sample of {len(sample)} unaccounted numbers:")
    for source, context in sample:
        print(f"  {source[:10]:<10} …{context}…")


if __name__ == "__main__":
    main()
