"""Claim checks: each check pinned on hand-built claims for its arithmetic and on real sentences run
through the real extractor (the default corpus inline; the shared corpora by id, skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import corpus_records, run_cli

from pipeline import schema
from pipeline.claim_checks import (
    check_claims, inconsistent, out_of_range, outliers, same_number, sentence_bounds, stated_direction,
)
from pipeline.claims import extract_claims
from pipeline.metric_info import metric_table, result_scores
from pipeline.run import ingest_inputs

METRICS = metric_table()


def claims_table(*rows: dict) -> pd.DataFrame:
    """Claims rows from the fields that matter; offsets are made up, one claim per 10 characters."""
    records = [{"paper_id": "p", "unit": "", "dataset": None, "start": 10 * k, "end": 10 * k + 4, "text": "x", **row}
               for k, row in enumerate(rows)]
    return schema.conform(pd.DataFrame(records), schema.CLAIMS)


def papers_with(abstracts: dict[str, str]) -> pd.DataFrame:
    return schema.conform(pd.DataFrame({"paper_id": list(abstracts), "title": list(abstracts),
                                        "abstract": list(abstracts.values())}), schema.PAPERS)


def checks_of(abstracts: dict[str, str]) -> pd.DataFrame:
    """The real extractor, then every check, on these abstracts."""
    papers = papers_with(abstracts)
    claims = extract_claims(papers)
    names = {name: name for name in claims["dataset"].dropna()}
    return check_claims(claims, papers, names)


def records_as_papers(tmp_path: Path, corpus: str, ids: list[str]) -> pd.DataFrame:
    """Real records of a shared corpus through the real reader."""
    source = tmp_path / "records.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in corpus_records(corpus, ids)), encoding="utf-8")
    return ingest_inputs([source])["papers"]


# --- out of range ----------------------------------------------------------------------------------


def test_values_a_metric_cannot_take():
    claims = claims_table(
        {"kind": "score", "metric": "FID", "value": -0.4},                     # negative FID
        {"kind": "score", "metric": "accuracy", "value": 120.0, "unit": "%"},  # above 100 %
        {"kind": "score", "metric": "MOS", "value": 7.0},                      # a 1-5 scale
        {"kind": "improvement", "metric": "accuracy", "value": 150.0, "unit": "pp"},
        {"kind": "reduction", "metric": "latency", "value": 172.0, "unit": "%"},
        {"kind": "score", "metric": "accuracy", "value": 0.87},                # a fraction: fine
        {"kind": "score", "metric": "accuracy", "value": 100.0, "unit": "%"},
        {"kind": "score", "metric": "WER", "value": 104.0, "unit": "%"},       # WER can exceed 100 %
        {"kind": "score", "metric": "FID", "value": 0.0},
        {"kind": "improvement", "metric": "accuracy", "value": 150.0, "unit": "%"},  # a relative gain may
    )
    found = out_of_range(claims, METRICS)
    assert found["start"].tolist() == [0, 10, 20, 30, 40]
    details = found["detail"].tolist()
    assert details[0] == "FID is at least 0; this claim reads -0.4"
    assert details[1] == "accuracy is between 0% and 100%; this claim reads 120%"
    assert details[3] == "a change of 150 pp is more than accuracy's whole range (between 0% and 100%)"
    assert details[4] == "a reduction of 172% is more than all of it: reductions stop at 100%"


def test_impossible_reduction_in_a_real_abstract(tmp_path):
    papers = records_as_papers(tmp_path, "arxiv_2025_26.jsonl", ["2506.20009"])
    checks = check_claims(extract_claims(papers), papers, {})
    row = checks[checks["check"] == "out of range"].iloc[0]
    assert (row["value"], row["unit"]) == (172.0, "%")
    assert "172% less electricity usage" in row["sentence"]
    abstract = papers["abstract"].iloc[0]
    assert abstract[row["sentence_start"]:row["sentence_start"] + len(row["sentence"])] == row["sentence"]


# --- outliers ----------------------------------------------------------------------------------------


def scores(values: list[float], metric: str = "FID", unit: str = "", dataset: str = "COCO") -> pd.DataFrame:
    claims = claims_table(*[{"paper_id": f"p{k}", "kind": "score", "metric": metric, "value": v, "unit": unit,
                             "dataset": dataset} for k, v in enumerate(values)])
    return result_scores(claims, papers_with({f"p{k}": "" for k in range(len(values))}), {dataset: dataset})


def test_outliers_on_a_log_scale_for_distances():
    typical = [1.6, 1.8, 1.9, 2.0, 2.1, 2.3, 2.5, 2.8]
    found = outliers(scores(typical + [40.0]))
    assert found["start"].tolist() == [80]
    assert "robust standard deviations above the median 2.1 of 9 FID values on COCO (log scale)" in found["detail"].iloc[0]
    assert outliers(scores(typical + [4.0])).empty     # twice the median is not extreme


def test_outliers_on_a_linear_scale_for_shares():
    typical = [78.0, 79.5, 80.1, 81.0, 82.2, 83.0, 84.5, 85.0]
    found = outliers(scores(typical + [10.0], "accuracy", "%", "ImageNet"))
    assert found["start"].tolist() == [80] and "below the median" in found["detail"].iloc[0]


def test_small_or_flat_groups_are_not_judged():
    assert outliers(scores([2.0, 2.1, 2.2, 40.0])).empty           # too few values
    assert outliers(scores([2.0] * 8 + [3.0])).empty              # no spread to measure


# --- inconsistent --------------------------------------------------------------------------------------

# The default corpus (data/raw): one paper, two sentences, two FVDs on each dataset (model sizes).
NEXT_BLOCK = (
    "Our model achieves FVD scores of 103.3 on UCF101 and 25.5 on K600, outperforming the vanilla NTP model by an "
    "average of 4.4. We also explored model scales ranging from 700M to 3B parameters, observing significant "
    "improvements in generation quality, with FVD scores dropping from 103.3 to 55.3 on UCF101 and from 25.5 to "
    "19.5 on K600, demonstrating the scalability of our approach."
)


def test_two_values_in_two_sentences_are_inconsistent():
    found = checks_of({"nbp": NEXT_BLOCK})
    found = found[found["check"] == "inconsistent"]
    assert sorted(zip(found["dataset"], found["value"])) == [("K600", 19.5), ("K600", 25.5), ("UCF101", 55.3), ("UCF101", 103.3)]
    first = found[found["value"] == 103.3].iloc[0]
    assert first["detail"] == "the paper also reports FVD on UCF101 as 55.3 in another sentence"
    assert first["sentence"].startswith("Our model achieves FVD scores of 103.3")


def test_values_side_by_side_or_equal_after_rounding_are_not():
    side_by_side = "Our model reaches an FID of 1.35 with guidance and 2.10 without guidance on ImageNet 256x256."
    rounded = ("Our model reaches an FID of 1.5 on ImageNet 256x256. With longer training it reaches an FID of "
               "1.52 on ImageNet 256x256.")
    found = checks_of({"a": side_by_side, "b": rounded})
    assert (found["check"] == "inconsistent").sum() == 0


def test_inconsistent_arithmetic_on_claims_rows():
    papers = papers_with({"p": "The FID is 2.0. Later the FID is 3.0. And 2.0 again."})
    claims = claims_table(
        {"kind": "score", "metric": "FID", "value": 2.0, "dataset": "COCO", "start": 11, "end": 14},
        {"kind": "score", "metric": "FID", "value": 3.0, "dataset": "COCO", "start": 33, "end": 36},
        {"kind": "score", "metric": "FID", "value": 2.0, "dataset": "COCO", "start": 42, "end": 45},
    )
    found = inconsistent(result_scores(claims, papers, {"COCO": "COCO"}))
    assert found["start"].tolist() == [11, 33, 42]
    assert found["detail"].tolist()[1] == "the paper also reports FID on COCO as 2 in another sentence"


# --- direction -------------------------------------------------------------------------------------------

# The default corpus: FID rises in both, but neither sentence calls the change better.
CODE = ("This collaboration yields remarkable efficiency with minimal impact on quality: CoDe achieves a 1.7x "
        "speedup, slashes memory usage by around 50%, and preserves image quality with only a negligible FID "
        "increase from 1.95 to 1.98.")
VAR = ("On ImageNet 256x256 benchmark, VAR significantly improve AR baseline by improving Frechet inception "
       "distance (FID) from 18.65 to 1.80, inception score (IS) from 80.4 to 356.4, with around 20x faster inference speed.")


def test_changes_in_the_metrics_direction_are_not_flagged():
    found = checks_of({"code": CODE, "var": VAR})
    assert (found["check"] == "direction").sum() == 0


def test_a_worse_value_called_better_is_flagged():
    text = "Our sampler improves FID from 2.10 to 2.45 on ImageNet 256x256 while using half the steps."
    found = checks_of({"p": text})
    row = found[found["check"] == "direction"].iloc[0]
    assert (row["value"], row["detail"]) == (2.45, "called better, but FID goes from 2.1 to 2.45, and lower FID is better")


def test_gains_whose_words_say_the_metric_got_worse(tmp_path):
    papers = pd.concat([records_as_papers(tmp_path, "conference_abstracts.jsonl", ["colm2024:LKEJPySnlt"]),
                        records_as_papers(tmp_path, "arxiv_2025_26.jsonl", ["2511.23056", "2504.01957"])])
    checks = check_claims(extract_claims(papers), papers, {})
    found = checks[checks["check"] == "direction"]
    details = dict(zip(found["value"], found["detail"]))
    assert details[13.9] == "counted as an improvement, but the text says perplexity rose, and lower perplexity is better"
    # "accuracy dropping by 26.4 percentage points" is recorded as the claims convention asks, an
    # improvement of "accuracy (degradation)" (lower is better): a drop said as a drop, no contradiction
    assert 26.4 not in details
    assert details[0.3].startswith("a reduction factor of 0.3× is below 1")


@pytest.mark.parametrize("text, metric, expected", [
    ("models in both perplexity (+13.9%) and tasks", "perplexity", "rise"),
    ("it increases the FID by 2.1 points", "FID", "rise"),
    ("it reduces the FID by 2.1 points", "FID", "fall"),
    ("a 2.1 higher FID than the baseline", "FID", "rise"),
    ("reaching -0.5 FID over the baseline", "FID", "fall"),
    ("in a zero setting--29% higher than agents", "accuracy", None),   # a dash, not a minus
    ("brings accuracy within +/-4pp of the baseline", "accuracy", None),
    ("while 28% more accurate than Unimatch on error", "error", None),  # the comparative is not about error
    ("it increases evidence traceability by 130% and", "error", None),
    ("with accuracy dropping by 26.4 percentage points", "accuracy", "fall"),
])
def test_stated_direction_needs_the_metric_named(text, metric, expected):
    number = next(i for i, ch in enumerate(text) if ch.isdigit())
    end = number
    while end < len(text) and (text[end].isdigit() or text[end] in ".%"):
        end += 1
    evidence_end = end + (len(" higher FID") if "higher FID" in text else 0)
    assert stated_direction(text, number, evidence_end, METRICS[metric]) == expected


# --- evidence sentences and the table --------------------------------------------------------------------


def test_sentence_bounds_skip_abbreviations_and_prefer_stored_offsets():
    text = "PSNR: 25.51 vs. 23.41, FID: 44.73 vs. 49.59 on LOL. Next sentence has 3.2 FID. Last."
    start = text.index("44.73")
    lo, hi = sentence_bounds(text, start, start + 5)
    assert text[lo:hi] == "PSNR: 25.51 vs. 23.41, FID: 44.73 vs. 49.59 on LOL."
    assert sentence_bounds(text, start, start + 5, 23, 43) == (23, 43)
    start = text.index("3.2")
    assert text[slice(*sentence_bounds(text, start, start + 3))] == "Next sentence has 3.2 FID."


def test_same_number_at_the_coarser_precision():
    assert same_number(1.5, 1.52) and same_number(2.0, 2.04) and same_number(103.3, 103.3)
    assert not same_number(1.5, 1.7) and not same_number(25.5, 19.5)


def test_checks_table_follows_the_contract():
    found = checks_of({"nbp": NEXT_BLOCK, "p": "Our sampler improves FID from 2.10 to 2.45 on ImageNet 256x256."})
    assert list(found.columns) == list(schema.CLAIM_CHECKS)
    assert found["check"].tolist() == sorted(found["check"].tolist(), key=["out of range", "outlier",
                                                                          "inconsistent", "direction"].index)
    for row in found.itertuples():
        offset = row.start - row.sentence_start
        assert row.sentence[offset:offset + len(row.text)] == row.text


def test_checks_command(tmp_path):
    from pipeline import store

    papers = papers_with({"nbp": NEXT_BLOCK})
    claims = extract_claims(papers)
    checks = check_claims(claims, papers, {n: n for n in claims["dataset"].dropna()})
    store.write_tables({"papers": papers, "claims": claims, "claim_checks": checks}, tmp_path)
    rows = json.loads(run_cli("checks", "--check", "inconsistent", "--dataset", "ucf", "--processed", str(tmp_path),
                              "-f", "json"))
    assert [(r["value"], r["title"]) for r in rows] == [(103.3, "nbp"), (55.3, "nbp")]
    assert "\n" not in rows[0]["sentence"]


def test_a_fraction_as_stated_is_no_contradiction():
    # the claims convention records "one-eighth the parameters" as a reduction of 0.125x, as written
    found = checks_of({"p": "It matches the strongest baseline at one-eighth the parameters and 1/3 of the "
                            "per-step compute, using 0.3x less memory than projection-based methods."})
    flagged = found[found["check"] == "direction"]
    assert flagged["value"].tolist() == [0.3], flagged[["value", "detail"]]
