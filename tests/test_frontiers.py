"""Frontiers: dataset-name normalization, the alias and metric tables, the frontier arithmetic, real
sentences run through the real extractor, the report section and `trends progress`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from conftest import corpus_records, run_cli

from pipeline import datasets, schema, store
from pipeline.claims import extract_claims
from pipeline.frontiers import change_per_year, frontier_tables, progress_tables
from pipeline.metric_info import metric_table, parse_metrics, result_scores
from pipeline.report.build import build_report
from pipeline.run import ingest_inputs
from pipeline.vocab import VocabularyError

# --- dataset names ------------------------------------------------------------------------------


@pytest.mark.parametrize("names", [
    ["ImageNet 256x256", "ImageNet-256", "ImageNet 256×256", "imagenet 256 × 256", "ImageNet $256\\times256$",
     "ImageNet 256times256", "ImageNet 256px"],
    ["WMT14 English-German", "WMT'14 En-De", "WMT 2014 English-to-German", "wmt14 en→de"],
    ["CIFAR-10", "CIFAR10", "cifar 10", "the CIFAR-10 dataset"],
    ["AIME 2024", "AIME24", "AIME-24"],
    ["MATH-500", "MATH500", "Math 500 benchmark"],
])
def test_spellings_of_one_dataset_share_a_key(names):
    assert len({datasets.dataset_key(name) for name in names}) == 1


@pytest.mark.parametrize("a, b", [
    ("ImageNet", "ImageNet 256x256"),      # classification vs generation at a resolution
    ("ImageNet 256x256", "ImageNet 512x512"),
    ("ImageNet 256x512", "ImageNet 256x256"),
    ("CIFAR-10", "CIFAR-100"),
    ("MATH", "MATH-500"),
    ("SQuAD 1.1", "SQuAD 2.0"),
    ("WMT14 English-German", "WMT14 German-English"),
    ("WMT14 English-German", "WMT16 English-German"),
])
def test_different_datasets_keep_different_keys(a, b):
    assert datasets.dataset_key(a) != datasets.dataset_key(b)


def test_dataset_aliases_table_records_each_merge():
    names = ["ImageNet 256x256", "ImageNet 256x256", "ImageNet-256", "ImageNet-1K", "ILSVRC-2012", "ImageNet",
             "PTB", "Penn Treebank", "nuScenes", "NuScenes", "NuScenes", None]
    claims = pd.DataFrame({"dataset": names})
    table = datasets.dataset_aliases(claims)
    assert list(table.columns) == list(schema.DATASET_ALIASES)
    rows = {r.name: (r.dataset, r.rule, r.n_claims) for r in table.itertuples()}
    assert rows == {
        "ImageNet 256x256": ("ImageNet 256×256", "spelling", 2),   # the alias table's spelling of the key
        "ImageNet-256": ("ImageNet 256×256", "spelling", 1),
        "ImageNet-1K": ("ImageNet", "alias table", 1),
        "ILSVRC-2012": ("ImageNet", "alias table", 1),
        "ImageNet": ("ImageNet", "as written", 1),
        "PTB": ("Penn Treebank", "alias table", 1),
        "Penn Treebank": ("Penn Treebank", "as written", 1),
        "NuScenes": ("NuScenes", "as written", 2),                 # unknown to the table: the most used spelling
        "nuScenes": ("NuScenes", "spelling", 1),
    }
    merged = datasets.merged_names(table).set_index("dataset")
    assert merged.loc["ImageNet", "names"] == "ILSVRC-2012, ImageNet, ImageNet-1K"
    assert merged.loc["ImageNet 256×256", "n_claims"] == 3


@pytest.mark.parametrize("content, message", [
    ("alias,dataset\nImageNet 256x256,ImageNet-256\n", ":2: 'ImageNet 256x256' and 'ImageNet-256' are merged by the spelling rule"),
    ("alias,dataset\nPTB,Penn Treebank\nP.T.B.,Penn Treebank\n", ":3: 'P.T.B.' is already an alias (line 2)"),
    ("alias,dataset\nK400,Kinetics-400\nKinetics400 v1,K400\n", ":3: 'K400' is itself an alias (line 2)"),
    ("alias,dataset\nILSVRC,ImageNet\nIN-1k,Imagenet\n", ":3: 'Imagenet' is written 'ImageNet' on line 2"),
    ("alias,dataset\nNQ,Natural Questions\nNatural Questions,NaturalQA\n", "is itself an alias"),
    ("name,dataset\nNQ,Natural Questions\n", ":1: header is name,dataset; expected alias,dataset"),
    ("alias,dataset\nNQ,\n", ":2: column dataset is empty"),
    ("alias,dataset\nNQ,Natural Questions,extra\n", ":2: 3 cells; expected 2"),
    ("# only a comment\n", "empty"),
])
def test_bad_alias_tables_name_the_line(content, message):
    with pytest.raises(VocabularyError) as error:
        datasets.parse_aliases(content, "aliases.csv")
    assert str(error.value).startswith("aliases.csv") and message in str(error.value)


def test_packaged_vocabularies_load():
    table = datasets.alias_table()
    assert table.lookup(datasets.dataset_key("ILSVRC-2012")) == ("ImageNet", "alias table")
    metrics = metric_table()
    assert metrics["FID"].higher_is_better is False and metrics["FID"].min == 0
    assert metrics["accuracy"].comparable_value(0.873, "") == 87.3   # a fraction is a share
    assert metrics["accuracy"].comparable_value(87.3, "") == 87.3
    assert metrics["accuracy"].comparable_value(3.0, "pp") is None   # a change is not a score


HEADER = "metric,higher_is_better,min,max,unit,scale,quality,names\n"


@pytest.mark.parametrize("row, message", [
    ("FID,lower,0,,,log,true,", "column higher_is_better: expected true or false, got 'lower'"),
    ("accuracy,true,100,0,%,linear,true,", "min 100 is above max 0"),
    ("FID,false,zero,,,log,true,", "column min: expected a number, got 'zero'"),
    ("FID,false,0,,,logarithmic,true,", "column scale: expected one of linear, log"),
    ("MSE,false,,,,log,false,", "a log-scale metric needs min >= 0"),
])
def test_bad_metric_tables_name_the_line(row, message):
    with pytest.raises(VocabularyError) as error:
        parse_metrics(HEADER + row + "\n", "metrics.csv")
    assert str(error.value).startswith("metrics.csv:2:") and message in str(error.value)


def test_metric_directions_agree_with_the_extractor():
    """The table and the extractor must not disagree on which way is better for a metric both know."""
    text = ("Our model reaches an FID of 2.1 on ImageNet, a top-1 accuracy of 81.2% on ImageNet, a WER of 3.4% "
            "on LibriSpeech and a BLEU of 29.1 on WMT14 English-German, with 12 ms latency.")
    claims = extract_claims(pd.DataFrame({"paper_id": ["p"], "abstract": [text]}))
    table = metric_table()
    stated = claims[claims["metric"].isin(list(table)) & claims["higher_is_better"].notna()]
    assert set(stated["metric"]) >= {"FID", "accuracy", "WER", "BLEU"}
    for metric, higher in zip(stated["metric"], stated["higher_is_better"]):
        assert table[metric].higher_is_better == bool(higher), metric


# --- the arithmetic on hand-built claims ----------------------------------------------------------


def papers_on(dates: dict[str, str], themes: dict[str, int] | None = None) -> pd.DataFrame:
    ids = list(dates)
    return schema.conform(pd.DataFrame({
        "paper_id": ids, "title": [f"Paper {i}: a method" for i in ids], "abstract": [""] * len(ids),
        "published": [datetime.fromisoformat(d) for d in dates.values()],
        "theme_id": [(themes or {}).get(i, 0) for i in ids],
        "x": [float(k) for k in range(len(ids))], "y": [float(k % 2) for k in range(len(ids))], "n_appearances": 1,
    }), schema.PAPERS)


def claim_rows(*rows: tuple) -> pd.DataFrame:
    """(paper_id, value, metric, dataset[, unit, kind, role]) → claims rows with made-up offsets."""
    records = []
    for k, (paper, value, metric, dataset, *rest) in enumerate(rows):
        unit, kind, role = (rest + ["", "score", None][len(rest):])[:3]
        records.append({"paper_id": paper, "kind": kind, "metric": metric, "value": value, "unit": unit,
                        "dataset": dataset, "text": str(value), "start": 10 * k, "end": 10 * k + 4})
    roles = [(rest + ["", "score", None][len(rest):])[2] for *_, rest in [(r[:4], list(r[4:])) for r in rows]]
    return schema.conform(pd.DataFrame(records), schema.CLAIMS).assign(role=roles)


def frontiers_of(papers: pd.DataFrame, claims: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return progress_tables(papers, claims)


def test_frontier_steps_per_year_with_each_papers_best_value():
    papers = papers_on({"a": "2019-01-01", "b": "2020-01-01", "c": "2020-01-01", "d": "2021-01-01", "e": "2022-01-01"})
    claims = claim_rows(
        ("a", 4.0, "FID", "ImageNet 256x256"),
        ("b", 3.0, "FID", "ImageNet-256"), ("b", 2.0, "FID", "ImageNet-256"),  # b's best is 2.0
        ("c", 2.5, "FID", "ImageNet 256×256"),
        ("d", 2.2, "FID", "ImageNet 256x256"),   # worse than the frontier: a point, not a step
        ("e", 1.0, "FID", "ImageNet 256x256"),
    )
    out = frontiers_of(papers, claims)
    frontier = out["frontiers"].iloc[0]
    assert (frontier["metric"], frontier["dataset"], frontier["period_unit"]) == ("FID", "ImageNet 256×256", "year")
    assert (frontier["n_papers"], frontier["n_steps"]) == (5, 3)
    assert (frontier["first_value"], frontier["first_period"], frontier["best_value"], frontier["best_paper_id"]) == \
        (4.0, "2019", 1.0, "e")
    assert frontier["years"] == pytest.approx(3.0, abs=0.01)
    assert frontier["change_per_year"] == pytest.approx((1 / 4) ** (1 / frontier["years"]) - 1)
    points = out["frontier_points"][out["frontier_points"]["theme_id"].isna()]
    steps = points[points["moved_frontier"]]
    assert steps[["paper_id", "value", "period"]].values.tolist() == [["a", 4.0, "2019"], ["b", 2.0, "2020"], ["e", 1.0, "2022"]]
    assert steps["previous_value"].tolist()[1:] == [4.0, 2.0] and pd.isna(steps["previous_value"].iloc[0])
    assert points.set_index("paper_id")["frontier_value"].to_dict() == {"a": 4.0, "b": 2.0, "c": 2.0, "d": 2.0, "e": 1.0}


def test_higher_is_better_and_shares_on_one_scale():
    papers = papers_on({"a": "2025-01-10", "b": "2025-03-02", "c": "2025-06-20"})
    claims = claim_rows(("a", 0.85, "accuracy", "CIFAR-10", ""), ("b", 91.5, "accuracy", "CIFAR10", "%"),
                        ("c", 0.9, "accuracy", "CIFAR-10", ""))
    out = frontiers_of(papers, claims)
    frontier = out["frontiers"].iloc[0]
    assert (frontier["unit"], frontier["period_unit"], frontier["n_steps"]) == ("%", "month", 2)
    assert (frontier["first_value"], frontier["best_value"], frontier["best_period"]) == (85.0, 91.5, "2025-03")


def test_only_results_count_once_roles_exist_and_impossible_values_are_left_out():
    papers = papers_on({"a": "2019-01-01", "b": "2020-01-01", "c": "2021-01-01", "d": "2021-01-01"})
    claims = claim_rows(
        ("a", 3.0, "FID", "COCO", "", "score", "result"),
        ("b", 0.5, "FID", "COCO", "", "score", "baseline"),    # a compared method's number
        ("b", 2.5, "FID", "COCO", "", "score", "result"),
        ("c", -1.0, "FID", "COCO", "", "score", "result"),     # impossible: flagged, not a frontier step
        ("d", 2.0, "FID", "COCO", "", "score", "context"),
        ("c", 2.8, "FID", "COCO", "", "score", "result"),
    )
    out = frontiers_of(papers, claims)
    assert out["frontiers"]["best_value"].tolist() == [2.5]
    assert "out of range" in out["claim_checks"]["check"].tolist()


def test_too_few_papers_or_periods_make_no_frontier():
    two = papers_on({"a": "2019-01-01", "b": "2020-01-01"})
    assert frontiers_of(two, claim_rows(("a", 3.0, "FID", "COCO"), ("b", 2.0, "FID", "COCO")))["frontiers"].empty
    one_year = papers_on({"a": "2019-01-01", "b": "2019-01-01", "c": "2019-01-01", "d": "2023-01-01"})
    claims = claim_rows(("a", 3.0, "FID", "COCO"), ("b", 2.0, "FID", "COCO"), ("c", 2.5, "FID", "COCO"))
    assert frontiers_of(one_year, claims)["frontiers"].empty   # three papers, all in one year


def test_frontiers_within_themes():
    dates = {p: f"{2018 + k}-01-01" for k, p in enumerate("abcdef")}
    papers = papers_on(dates, themes={"a": 0, "b": 0, "c": 0, "d": 1, "e": 1, "f": 1})
    claims = claim_rows(*[(p, 90.0 + k, "accuracy", "MNIST", "%") for k, p in enumerate("abcdef")])
    table = frontiers_of(papers, claims)["frontiers"]
    assert table["theme_id"].isna().iloc[0]           # all papers first
    assert table[["theme_id", "best_value"]].dropna().values.tolist() == [[0, 92.0], [1, 95.0]]


def test_change_per_year():
    assert change_per_year(2.0, 1.5, 2.0) == pytest.approx((0.75 ** 0.5) - 1)
    assert pd.isna(change_per_year(2.0, 1.5, 0.0)) and pd.isna(change_per_year(0.0, 1.0, 1.0))


def test_pages_without_years_make_no_frontier(default_run):
    tables = store.read_tables(default_run["processed"])
    assert tables["frontiers"].empty and tables["frontier_points"].empty
    report = (default_run["reports"] / "report.md").read_text(encoding="utf-8")
    section = report.split("## Progress")[1].split("\n## ")[0]
    assert "no year" in section and "no publication dates" in section
    merged = tables["dataset_aliases"]
    assert set(merged.loc[merged["dataset"] == "ImageNet 256×256", "name"]) >= {"ImageNet 256x256"}


# --- real sentences through the real extractor ------------------------------------------------------

# Sentences of the default corpus (data/raw), dated by hand: the pages carry no year.
VAR = ("On ImageNet 256x256 benchmark, VAR significantly improve AR baseline by improving Frechet inception "
       "distance (FID) from 18.65 to 1.80, inception score (IS) from 80.4 to 356.4, with around 20x faster inference speed.")
MVAR = ("Moreover, our largest model M-VAR-d32 impressively registers 1.78 FID on ImageNet 256times256 and outperforms "
        "the prior-art autoregressive models LlamaGen/VAR by 0.4/0.19 and popular diffusion models LDM/DiT by 1.82/0.49, "
        "respectively.")
DETAILFLOW = ("On the ImageNet 256x256 benchmark, our method achieves 2.96 gFID with 128 tokens, outperforming VAR "
              "(3.3 FID) and FlexVAR (3.05 FID), which both require 680 tokens in their AR models.")


def test_frontier_from_real_sentences():
    papers = papers_on({"var": "2024-04-03", "mvar": "2024-11-15", "detailflow": "2025-05-26"})
    papers["abstract"] = [VAR, MVAR, DETAILFLOW]
    claims = extract_claims(papers)
    out = progress_tables(papers, claims)
    fid = out["frontiers"].set_index(["metric", "dataset"]).loc[("FID", "ImageNet 256×256")]
    assert (fid["n_papers"], fid["n_steps"], fid["first_value"], fid["best_value"]) == (3, 2, 1.8, 1.78)
    steps = out["frontier_points"].query("moved_frontier and metric == 'FID'")
    assert steps["text"].tolist() == ["1.80", "1.78"]
    assert out["frontiers"]["period_unit"].iloc[0] == "month"


def test_frontier_on_real_arxiv_records(tmp_path: Path):
    """Three raw arXiv abstracts (LaTeX, line wraps) with their real dates, through the real reader and extractor."""
    records = corpus_records("arxiv_2025_26.jsonl", ["2505.11196", "2507.03738", "2601.05823"])
    source = tmp_path / "three.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    papers = ingest_inputs([source])["papers"].assign(theme_id=0)
    out = progress_tables(papers, extract_claims(papers))
    points = out["frontier_points"].query("metric == 'FID' and theme_id.isna()")
    assert set(points["dataset"]) == {"ImageNet 256×256"}
    steps = points[points["moved_frontier"]].sort_values("period_order")
    assert steps["value"].tolist() == [1.9, 1.32, 1.21]
    assert steps["period"].tolist() == ["2025-05", "2025-07", "2026-01"]


def test_cifar10_error_frontier_from_real_conference_records(tmp_path: Path):
    """Four real proceedings abstracts: the CIFAR-10 error falls 6.78 → 3.4 → 2.92 → 1.46 (2016-2019).

    Coupled Ensembles (2018) reports "2.92%, 15.68% and 1.50% respectively on CIFAR-10, CIFAR-100 and
    SVHN": its CIFAR-10 value is the first, and SVHN's 1.50 must not become a CIFAR-10 step.
    """
    ids = ["icml2016:6735ac80e7", "iclr2017:BJYwwY9ll", "iclr2018:Hk2MHt-3-", "icml2019:3664"]
    source = tmp_path / "four.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in corpus_records("conference_abstracts.jsonl", ids)),
                      encoding="utf-8")
    papers = ingest_inputs([source])["papers"].assign(theme_id=0)
    out = progress_tables(papers, extract_claims(papers))
    frontier = out["frontiers"].set_index(["metric", "dataset"]).loc[("error", "CIFAR-10")]
    assert (frontier["period_unit"], frontier["first_value"], frontier["best_value"]) == ("year", 6.78, 1.46)
    steps = out["frontier_points"].query("moved_frontier and metric == 'error' and dataset == 'CIFAR-10'")
    assert steps[["period", "value"]].values.tolist() == [["2016", 6.78], ["2017", 3.4], ["2018", 2.92], ["2019", 1.46]]


@pytest.mark.parametrize("text, top1, top5", [
    ("EfficientNet-B7 achieves 84.4% top-1 / 97.1% top-5 accuracy on ImageNet.", 84.4, 97.1),
    ("PURe34 reaches a top-1 accuracy of 80.27% and top-5 accuracy of 95.78% on ImageNet.", 80.27, 95.78),
])
def test_top_k_variants_are_their_own_metric(text, top1, top5):
    papers = papers_on({"p": "2020-01-01"}).assign(abstract=[text])
    scores = result_scores(extract_claims(papers), papers, {"ImageNet": "ImageNet"})
    assert dict(zip(scores["metric"], scores["value"])) == {"accuracy": top1, "top-5 accuracy": top5}


# --- the report and the command ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def dated_store(tmp_path_factory) -> Path:
    """A store with frontiers, written by the real store from hand-dated real sentences."""
    papers = papers_on({"var": "2024-04-03", "mvar": "2024-11-15", "detailflow": "2025-05-26"})
    papers["abstract"] = [VAR, MVAR, DETAILFLOW]
    papers["title"] = ["VAR: Visual Autoregressive Modeling", "M-VAR: Decoupled Scale-wise Autoregressive Modeling",
                       "DetailFlow: 1D Coarse-to-Fine Autoregressive Image Generation"]
    claims = extract_claims(papers)
    themes = pd.DataFrame({"theme_id": [0], "label": ["image generation"], "keywords": ["image"], "size": [3],
                           "representative_ids": ["var"], "area_id": [0], "area_label": ["images"],
                           "description": ["VAR: Visual Autoregressive Modeling; image, generation"]})
    tables = {"papers": papers, "appearances": schema.empty(schema.APPEARANCES), "themes": themes, "claims": claims,
              "warnings": schema.empty(schema.WARNINGS), "run_info": schema.empty(schema.RUN_INFO),
              **progress_tables(papers, claims)}
    processed = tmp_path_factory.mktemp("dated") / "processed"
    store.write_tables(tables, processed)
    return processed


def test_report_shows_a_chart_per_frontier(dated_store):
    files = build_report(store.read_tables(dated_store))
    md = files["report.md"].decode()
    section = md.split("## Progress")[1].split("\n## ")[0]
    assert "### FID on ImageNet 256×256 (lower is better, 3 papers)" in section
    assert "![FID on ImageNet 256×256](figures/frontier_01.png)" in section
    assert "| 2024-11 | 1.78 | 1.8 | M-VAR: Decoupled Scale-wise Autoregressive Modeling |" in section
    assert "registers **1.78** FID on ImageNet" in section      # the evidence sentence, the number marked
    assert files["figures/frontier_01.png"].startswith(b"\x89PNG")
    html = files["report.html"].decode()
    assert 'id="progress"' in html and "<mark>1.78</mark>" in html
    assert "tables/frontiers.csv" in files and "tables/claim_checks.csv" in files


def test_progress_command_lists_frontiers_and_shows_steps(dated_store):
    listed = json.loads(run_cli("progress", "--processed", str(dated_store), "--format", "json"))
    assert {(f["metric"], f["dataset"]) for f in listed} >= {("FID", "ImageNet 256×256")}
    steps = json.loads(run_cli("progress", "--metric", "fid", "--dataset", "ImageNet 256",
                               "--processed", str(dated_store), "--format", "json"))
    assert [(s["period"], s["value"], s["title"][:5]) for s in steps] == [("2024-04", 1.8, "VAR: "), ("2024-11", 1.78, "M-VAR")]
    every = run_cli("progress", "--metric", "FID", "--dataset", "imagenet-256", "--all",
                    "--processed", str(dated_store), "--format", "csv")
    assert len(every.strip().splitlines()) == 1 + 3


@pytest.mark.parametrize("args, message", [
    (["--metric", "BLEU"], "no frontier has a metric matching 'BLEU'"),
    (["--dataset", "COCO"], "no frontier has a dataset matching 'COCO'"),
    (["--theme", "speech"], "no theme matches 'speech'"),
    (["--theme", "image generation"], "a theme's frontier is kept only where it differs"),  # it holds every paper
])
def test_progress_errors_are_one_line(dated_store, args, message):
    from typer.testing import CliRunner

    from pipeline.cli import app

    result = CliRunner().invoke(app, ["progress", *args, "--processed", str(dated_store)])
    assert result.exit_code == 1 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_frontier_tables_are_empty_without_dates():
    papers = papers_on({"a": "2019-01-01"}).assign(published=pd.NaT)
    out = frontier_tables(papers, claim_rows(("a", 1.0, "FID", "COCO")), {"COCO": "COCO"},
                          schema.empty(schema.CLAIM_CHECKS))
    assert out["frontiers"].empty and list(out["frontiers"].columns) == list(schema.FRONTIERS)
