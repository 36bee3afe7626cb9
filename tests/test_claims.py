"""The claims stage as a whole: the issue's examples, the claims table contract (role, sentence
offsets), real corpora (exact evidence, sentences that hold it, every number accounted for), and the
scores on the three parts of the development sets. Rules are pinned in tests/test_claims_*.py."""

from __future__ import annotations

import importlib.util
import json
import sys

import pandas as pd
import pytest
from claims_helpers import facts, only
from conftest import CONFERENCE, DEV_DIR, REPO, SHARED, conference_sample

from pipeline import schema
from pipeline.claims import KINDS, REASONS, claims_in_text, extract_claims, numbers_in_text

ECAR = (
    "Experimental results demonstrate that ECAR achieves comparable image quality to DiT Peebles & Xie [2023] "
    "while requiring 10times FLOPs reduction and 5times speedup to generate a 256times256 image."
)
ARXIV = SHARED / "corpora" / "arxiv_2025_26.jsonl"


def test_reduction_and_speedup_share_the_sentence_baseline():
    claims = claims_in_text(ECAR)
    assert {(c.kind, c.value, c.unit) for c in claims} == {
        ("reduction", 10.0, "x"), ("speedup", 5.0, "x"), ("scale", 256.0, "px"),
    }
    reduction = only(ECAR, "reduction")
    assert (reduction.metric, reduction.higher_is_better, reduction.text) == ("FLOPs", False, "10times FLOPs reduction")
    assert {c.baseline for c in claims if c.kind != "scale"} == {"DiT"}  # not "DiT Peebles & Xie [2023]"
    assert {c.role for c in claims} == {"result", None}
    assert not any(c.value == 2023 for c in claims)


def test_score_with_direction():
    text = ("Meanwhile, xAR-H sets a new state-of-the-art with an FID of 1.24, running 2.2times faster than the "
            "previous best-performing model without relying on vision foundation modules (\\eg, DINOv2).")
    score = only(text, "score")
    assert (score.metric, score.value, score.unit, score.higher_is_better) == ("FID", 1.24, "", False)
    speedup = only(text, "speedup")
    assert (speedup.value, speedup.baseline) == (2.2, "previous best-performing model")


def test_model_sizes_in_parentheses_are_scale_facts():
    text = ("On ImageNet-256 generation benchmark, our base model, xAR-B (172M), outperforms DiT-XL/SiT-XL (675M) "
            "while achieving 20times faster inference.")
    assert facts(text) == {("scale", 172.0, "M"), ("scale", 675.0, "M"), ("speedup", 20.0, "x")}
    assert {c.metric for c in claims_in_text(text) if c.kind == "scale"} == {"parameters"}
    assert only(text, "speedup").dataset == "ImageNet-256"


def test_extract_claims_builds_the_claims_table():
    papers = pd.DataFrame({"paper_id": ["a", "b", "c"], "abstract": [ECAR, None, "No numbers here."]})
    table = extract_claims(papers)
    assert list(table.columns) == list(schema.CLAIMS)
    assert table.dtypes.astype(str).tolist() == [dtype for dtype, _ in schema.CLAIMS.values()]
    assert set(table["paper_id"]) == {"a"} and len(table) == 3
    assert table.loc[table["kind"] == "scale", "role"].isna().all()
    assert set(table.loc[table["kind"] != "scale", "role"]) == {"result"}
    assert (table["sentence_start"] == 0).all() and (table["sentence_end"] == len(ECAR)).all()
    empty = extract_claims(pd.DataFrame({"paper_id": [], "abstract": []}))
    assert list(empty.columns) == list(schema.CLAIMS) and empty.empty


def test_numbers_in_text_gives_each_number_a_claim_or_a_reason():
    numbers = numbers_in_text(ECAR)
    assert [(n.text, n.claim is not None, n.reason) for n in numbers] == [
        ("2023", False, "year"), ("10times FLOPs reduction", True, None), ("5times speedup", True, None),
        ("256times256", True, None),
    ]
    assert all(n.reason is None or n.reason in REASONS for n in numbers)


def _real_abstracts() -> list[str]:
    pages = [line for page in sorted((REPO / "data" / "raw").glob("*.txt"))
             for line in page.read_text(encoding="utf-8").splitlines() if len(line) > 200]
    sample = [row["abstract"] for row in conference_sample(1500, seed=7)]
    if ARXIV.exists():  # raw LaTeX with hard line wraps
        with ARXIV.open(encoding="utf-8") as handle:
            sample += [json.loads(line)["abstract"] for _, line in zip(range(1500), handle)]
    return pages + sample


def test_every_claim_in_real_corpora_is_exact_evidence_inside_its_sentence():
    found = 0
    for abstract in _real_abstracts():
        for claim in claims_in_text(abstract):
            assert abstract[claim.start:claim.end] == claim.text and claim.text.strip()
            assert claim.sentence_start <= claim.start < claim.end <= claim.sentence_end
            assert claim.range_low is None or claim.range_low < claim.value
            assert claim.kind in KINDS and (claim.role is None) == (claim.kind == "scale")
            found += 1
    assert found > 2000


def test_nearly_every_number_of_real_corpora_is_accounted_for():
    """The benchmark (benchmarks/number_accounting.py) measures this on 45,000 abstracts; here a sample."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from number_accounting import census

    total = unaccounted = 0
    for abstract in _real_abstracts()[:1500]:
        spans = [(n.start, n.end, n.claim is not None or n.reason != "no kind") for n in numbers_in_text(abstract)]
        for start, end in census(abstract):
            total += 1
            unaccounted += not any(s <= start and end <= e and ok for s, e, ok in spans)
    assert total > 3000 and unaccounted / total < 0.08


def _claims_eval():
    """The benchmark script as a module (it lives outside the package, under benchmarks/)."""
    spec = importlib.util.spec_from_file_location("claims_eval", REPO / "benchmarks" / "claims_eval.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["claims_eval"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("part", ["dev", "conference", "arxiv"])
def test_dev_set_targets(part):
    """Issue 10's targets on each part: results without scale F1 >= 0.85, speedup+reduction F1 >= 0.90,
    at least 80% of the gold baseline/context claims found with their role."""
    if not (DEV_DIR / "claims_dev2.jsonl").exists():
        pytest.skip(f"development sets not found at {DEV_DIR}")
    evaluation = _claims_eval()
    result = evaluation.evaluate(DEV_DIR, next(p for p in evaluation.PARTS if p.name == part))
    assert result.table["results without scale"][2] >= 0.85
    assert result.table["speedup+reduction"][2] >= 0.90
    assert result.role["baseline/context found"][0] >= 0.80


def test_claims_table_of_a_corpus_sample_keeps_its_contract():
    if not CONFERENCE.exists():
        pytest.skip(f"conference corpus not found at {CONFERENCE}")
    with CONFERENCE.open(encoding="utf-8") as handle:  # lines end at "\n" only: abstracts hold U+2028
        sample = [json.loads(line)["abstract"] for i, line in enumerate(handle) if i % 7 == 3]
    papers = pd.DataFrame({"paper_id": [str(i) for i in range(len(sample))], "abstract": sample})
    table = extract_claims(papers).merge(papers, on="paper_id")
    assert len(table) > 1000  # 1,491 claims in these 2,802 abstracts when written
    assert all(a[s:e] == t for a, s, e, t in zip(table["abstract"], table["start"], table["end"], table["text"]))
    assert ((table["sentence_start"] <= table["start"]) & (table["end"] <= table["sentence_end"])).all()
    assert set(table["role"].dropna()) == {"result", "baseline", "context"}
    assert table.loc[table["kind"] == "scale", "role"].isna().all()
