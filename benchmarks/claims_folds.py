"""Does a rule change generalize? Score it per fold, and read what it changes on unlabelled abstracts.

    python benchmarks/claims_folds.py [--save SNAP.json] [--against SNAP.json] [--corpus N] [--show FOLD ...]
                                      [--heldout DIR] [--folds NAME ...]

A fold is one annotated set (or half of one): the three development parts of ../shared/dev and the
held-out development sets of ``--heldout`` (default /work/heldout; blind test sets are never read: only
the sets named in FOLDS or ``--folds``). For each fold it prints results-without-scale F1,
speedup+reduction F1, scale F1 and baseline/context found (as ``claims_eval.py`` scores them).

``--save`` writes the matched and unmatched claims of every fold and the claims found in a fixed
sample of corpus abstracts; ``--against`` a saved snapshot prints, per fold, the gold claims a change
gained and lost and the false positives it added and removed, so the effect of a rule can be judged
on the folds whose misses were not read when it was written. ``--corpus N`` (default 600, seeded)
takes N abstracts of each corpus in ../shared/corpora; with ``--against`` every claim that changed
there is printed with its context, to be read: a rule is good when it is right on those.
``--grep REGEX`` makes the sample the abstracts that match REGEX (a construction a rule is about),
with the claims near each match; ``--list`` prints them. ``--show FOLD`` lists the changed gold claims and false positives of that fold too.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.claims_eval import DEFAULT_DEV, PARTS, RESULT_KINDS, Item, Part, extra_parts, load, match, ours, roles, scores
from pipeline.claims import claims_in_text

HELDOUT = Path("/work/heldout")
FOLDS = ("default:even", "default:odd", "conference", "arxiv", "conference2", "arxiv2")
"""Held-out development sets; the blind test sets (``*3``) are scored only by ``claims_eval.py``."""
CORPORA = DEFAULT_DEV.parent / "corpora"


def _key(item: Item) -> str:
    return f"{item.paper}|{item.kind}|{item.value:g}|{item.unit}|{item.text}"


def fold_result(folder: Path, part: Part, half: str | None) -> dict:
    papers, gold = load(folder, part, half)
    predicted = ours(papers)
    pairs = match(gold, predicted)
    table = scores(gold, predicted, pairs)
    matched_gold = {id(g) for g, _ in pairs}
    matched_pred = {id(p) for _, p in pairs}
    role = roles(gold, pairs)
    found = role["baseline/context found"]
    return {
        "f1": {name: round(table[name][2], 4) for name in ("results without scale", "speedup+reduction", "scale")},
        "role_found": [round(found[0] * found[1]), found[1]],
        "hits": sorted(_key(g) for g in gold if id(g) in matched_gold),
        "misses": sorted(_key(g) for g in gold if id(g) not in matched_gold),
        "false_positives": sorted(_key(p) for p in predicted if id(p) not in matched_pred),
        "wrong_roles": sorted(_key(g) + f"|gold {g.role} ours {p.role}" for g, p in pairs
                              if g.kind in RESULT_KINDS and g.role != p.role),
    }


def folds(heldout: Path, names: list[str]) -> dict[str, dict]:
    jobs = [(DEFAULT_DEV, part, None) for part in PARTS]
    if heldout.is_dir():
        jobs += [(heldout, part, half) for part, half in extra_parts(heldout, names)]
    return {part.name: fold_result(folder, part, half) for folder, part, half in jobs}


def corpus_sample(n: int, grep: re.Pattern[str] | None = None) -> dict[str, dict]:
    """The claims of a seeded sample of N abstracts per corpus (with ``grep``: of N abstracts of both
    that match it, each claim within 200 characters of a match): id -> ["kind value unit role :: text"]."""
    records = []
    for path in sorted(CORPORA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle]
        records += [r for r in rows if grep.search(r.get("abstract") or "")] if grep else \
            random.Random(0).sample(rows, min(n, len(rows)))
    if grep:
        records = random.Random(0).sample(records, min(n, len(records)))
    out: dict[str, dict] = {}
    for record in records:
        abstract = record.get("abstract") or ""
        spans = [m.span() for m in grep.finditer(abstract)] if grep else []
        claims = [
            f"{c.kind} {c.value:g} {c.unit!r} {c.role or '-'} [{c.metric or ''}] :: {c.text!r} @{c.start}" for c in claims_in_text(abstract)
            if not grep or any(a - 200 <= c.start and c.end <= b + 200 for a, b in spans)
        ]
        context = " … ".join(" ".join(abstract[max(0, a - 150):b + 150].split()) for a, b in spans[:2])
        out[str(record.get("id"))] = {"context": context, "claims": claims}
    return out


def _print_folds(now: dict[str, dict], before: dict[str, dict] | None) -> None:
    print(f"{'fold':<22}{'results w/o scale':>20}{'speedup+reduction':>20}{'scale':>16}{'role found':>14}"
          + ("   gold +/-  FP +/-  (non-scale; scale)" if before else ""))
    for name, r in now.items():
        old = before.get(name) if before else None
        cells = []
        for key in ("results without scale", "speedup+reduction", "scale"):
            delta = f" ({r['f1'][key] - old['f1'][key]:+.3f})" if old else ""
            cells.append(f"{r['f1'][key]:.3f}{delta}")
        role = f"{r['role_found'][0]}/{r['role_found'][1]}"
        line = f"{name:<22}{cells[0]:>20}{cells[1]:>20}{cells[2]:>16}{role:>14}"
        if old:
            line += "   " + "; ".join(_changes(r, old, scale) for scale in (False, True))
        print(line)


def _changes(now: dict, old: dict, scale: bool) -> str:
    def keep(keys: list[str]) -> set[str]:
        return {k for k in keys if (k.split("|")[1] == "scale") == scale}
    gained = len(keep(now["hits"]) - keep(old["hits"]))
    lost = len(keep(old["hits"]) - keep(now["hits"]))
    fp_added = len(keep(now["false_positives"]) - keep(old["false_positives"]))
    fp_removed = len(keep(old["false_positives"]) - keep(now["false_positives"]))
    return f"+{gained}/-{lost} +{fp_added}/-{fp_removed}"


def _print_fold_changes(name: str, now: dict, old: dict) -> None:
    print(f"\n{name}:")
    for label, key in (("gold found now", "hits"), ("FP now", "false_positives"), ("wrong role now", "wrong_roles")):
        for k in sorted(set(now[key]) - set(old[key])):
            print(f"  + {label}: {k}")
        for k in sorted(set(old[key]) - set(now[key])):
            print(f"  - {label}: {k}")


def _print_corpus_changes(now: dict[str, dict], old: dict[str, dict]) -> None:
    changed = 0
    for paper, entry in now.items():
        claims, was = set(entry["claims"]), set(old.get(paper, {}).get("claims", []))
        added, removed = claims - was, was - claims
        if added or removed:
            changed += 1
            print(f"\n{paper}" + (f"  …{entry['context']}…" if entry["context"] else ""))
            for claim in sorted(removed):
                print(f"  - {claim}")
            for claim in sorted(added):
                print(f"  + {claim}")
    total = sum(len(v["claims"]) for v in now.values())
    print(f"\n{changed} of {len(now)} corpus abstracts changed ({total} claims now)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--save", type=Path, help="write a snapshot of this checkout's results")
    parser.add_argument("--against", type=Path, help="compare with a saved snapshot")
    parser.add_argument("--corpus", type=int, default=600, help="abstracts per corpus in the unlabelled sample")
    parser.add_argument("--grep", type=re.compile, metavar="REGEX",
                        help="corpus sample: up to --corpus abstracts that match REGEX, claims near the match")
    parser.add_argument("--list", action="store_true", help="print the corpus sample's claims")
    parser.add_argument("--show", nargs="+", default=[], metavar="FOLD", help="list this fold's changes")
    parser.add_argument("--heldout", type=Path, default=HELDOUT, help="folder of held-out development sets")
    parser.add_argument("--folds", nargs="+", default=list(FOLDS), metavar="NAME[:even|odd]",
                        help="held-out sets to score (never the blind test sets)")
    args = parser.parse_args(argv)
    before = json.loads(args.against.read_text(encoding="utf-8")) if args.against else None
    now = {"folds": folds(args.heldout, args.folds),
           "corpus": corpus_sample(args.corpus, args.grep) if args.corpus else {}}
    _print_folds(now["folds"], before["folds"] if before else None)
    if args.list:
        for paper, entry in now["corpus"].items():
            print(f"\n{paper}  …{entry['context']}…\n" + "\n".join(f"  {c}" for c in entry["claims"]))
    if before:
        for name in args.show:
            if name in now["folds"] and name in before["folds"]:
                _print_fold_changes(name, now["folds"][name], before["folds"][name])
        if now["corpus"] and before.get("corpus"):
            _print_corpus_changes(now["corpus"], before["corpus"])
    if args.save:
        args.save.write_text(json.dumps(now), encoding="utf-8")


if __name__ == "__main__":
    main()
