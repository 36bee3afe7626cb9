"""The report's claim tables on real sentences: what a leaderboard compares, settings of a score,
typography of numbers, and the number marked where the claim points."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline import trends
from pipeline.claims import extract_claims
from pipeline.report.display import claim_label, claim_value, display_text, format_factor, marked, marked_pieces
from pipeline.report.leaderboards import comparison_of, factor_board, leaderboards
from pipeline.report.metric_tables import metric_results, metric_sections, setting_of, theme_metric_counts
from pipeline.report.sections import area_names

VAT = ("Remarkably, VAT achieves up to a 250x compression, reducing a 1MB mesh to just 3.9KB with a 96% F-score, "
       "and can further compress to 256 int8 tokens, achieving a 2000x reduction while maintaining a 92% F-score.")
GPUS = ("This in turn allows us to train an equivalent model using 4x less GPUs in the same wall time, or leverage "
        "the original resources and train it in 2x shorter wall time.")
OCTREE = "The first is a two-level subtree compression strategy, which reduces the octree token sequence by up to 8x."
PARAMETERS = ("In comparison to SOTA transformer-based models within the ANN domain on the SCv2 dataset, our LMUFormer "
              "demonstrates comparable performance while necessitating a remarkable 53 times reduction in parameters "
              "and a substantial 65 times decrement in FLOPs.")
PIM = ("Overall, PIM-GPT achieves 41-137times, 631-1074times speedup and 339-1085times, 890-1632times energy "
       "efficiency over GPU and CPU baseline, respectively, on 8 GPT models with up to 1.4 billion parameters.")


def _comparison(sentence: str, number: str, metric: str | None = None, kind: str = "reduction") -> str:
    at = sentence.index(number)
    return comparison_of(kind, metric, number, sentence, at)


@pytest.mark.parametrize(("sentence", "number", "metric", "expected"), [
    (VAT, "250x compression", None, "compression"),
    (VAT, "2000x reduction", None, "compression"),  # "compress to 256 int8 tokens" says what is reduced
    (OCTREE, "8x", None, "compression"),
    (GPUS, "4x less", None, "compute"),
    (GPUS, "2x shorter", None, "compute"),
    (PARAMETERS, "53 times reduction", "parameters", "size"),
    (PARAMETERS, "65 times", "FLOPs", "compute"),
    ("More specifically, the method can skip 25-30% of blocks with marginal change in quality.", "25-30%", None,
     "other"),
])
def test_a_reduction_goes_to_the_board_of_what_it_reduces(sentence, number, metric, expected):
    assert _comparison(sentence, number, metric) == expected


def test_a_speedup_is_speed_even_beside_compression():
    sentence = "GEAR achieves near-lossless 4-bit KV cache compression with up to 2.38x throughput improvement."
    assert _comparison(sentence, "2.38x", "throughput", kind="speedup") == "speed"


def _tables(abstracts: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Papers of the given abstracts, one theme, and the claims the real extractor finds in them."""
    papers = pd.DataFrame({"paper_id": list(abstracts), "title": [f"Paper {k}" for k in abstracts],
                           "abstract": list(abstracts.values()), "theme_id": [0] * len(abstracts)})
    themes = pd.DataFrame({"theme_id": [0], "label": ["efficient models"]})
    return extract_claims(papers), papers, themes


def test_boards_hold_results_once_per_paper_and_compression_apart():
    claims, papers, themes = _tables({
        "vat": VAT,
        "pim": PIM,
        "draft": "Our drafter is 3x faster than autoregressive decoding, and a 2.1x speedup is reached on MT-Bench. "
                 "Prior work reported a 10x speedup on synthetic data.",
    })
    board = factor_board(claims, papers, themes)
    boards = {b["key"]: b for b in leaderboards(board)}
    assert set(boards) >= {"speed", "compression"}
    speed = boards["speed"]["rows"]
    assert [row["paper_id"] for row in speed] == ["pim", "draft"], "one row per paper, strongest first"
    assert speed[0]["factor"] == 1074 and speed[1]["factor"] == 3
    assert [other["factor"] for other in speed[1]["others"]] == [2.1]
    assert all(row["paper_id"] == "vat" for row in boards["compression"]["rows"])
    assert 10 not in board["factor"].tolist() or (board.loc[board["factor"] == 10, "paper_id"] != "draft").all(), \
        "a number cited from prior work is not the paper's result"
    assert board.groupby(["comparison", "paper_id"])["best"].sum().eq(1).all()


def test_percent_speedups_compare_as_factors():
    claims, papers, themes = _tables({
        "pct": "Our method achieves an 80% speedup over the baseline.",
        "x": "Our method achieves a 1.5x speedup over the baseline.",
    })
    rows = leaderboards(factor_board(claims, papers, themes))[0]["rows"]
    assert [(row["paper_id"], round(row["factor"], 2)) for row in rows] == [("pct", 1.8), ("x", 1.5)]


def test_largest_speedup_per_paper_keeps_its_meaning():
    claims, _, _ = _tables({"a": "We obtain a 5x speedup and a 30% speedup in training.", "b": "We reduce memory by 10x."})
    assert trends.largest_speedup_per_paper(claims).to_dict() == {"a": 5.0}


@pytest.mark.parametrize(("sentence", "number", "dataset", "expected"), [
    ("On ImageNet 256×256 our model reaches an FID of 1.24 without guidance and 1.05 with guidance.", "1.24",
     "ImageNet 256×256", "without guidance"),
    ("On ImageNet 256×256 our model reaches an FID of 1.24 without guidance and 1.05 with guidance.", "1.05",
     "ImageNet 256×256", "with guidance"),
    ("We obtain FID 2.27 at 256×256 and 3.10 at 512×512 on ImageNet.", "3.10", "ImageNet", "512×512 px"),
    ("We obtain FID 2.27 at 256×256 and 3.10 at 512×512 on ImageNet.", "2.27", "ImageNet", "256×256 px"),
    ("It achieves 63.7% zero-shot accuracy on unseen objects.", "63.7%", None, "zero-shot"),
    ("With 5-shot prompting the model reaches 71.2% on MMLU.", "71.2%", "MMLU", "5-shot"),
    ("The model reaches 84.1% top-1 accuracy on ImageNet after fine-tuning.", "84.1%", "ImageNet", "fine-tuned"),
    ("The model reaches 84.1% top-1 accuracy on ImageNet.", "84.1%", "ImageNet", ""),
    ("On ImageNet-1K, AdaTok-Full reaches rFID 1.31 at 256 tokens.", "1.31", "ImageNet", "reconstruction"),
    ("Our planner solves 10×10 grids with a success rate of 91.2%.", "91.2%", None, ""),
    ("ARFlow reaches an FID of 4.34 on ImageNet at 128*128 with classifier-free guidance.", "4.34", "ImageNet",
     "128×128 px · with guidance"),
    ("Using masks at inference time, our method achieves an impressive 82.6% k-NN accuracy on ImageNet1k.", "82.6%",
     "ImageNet", "k-NN"),
    ("It reaches 76.1% top-1 accuracy under linear probing on ImageNet.", "76.1%", "ImageNet", "linear probe"),
])
def test_setting_is_the_one_the_sentence_states_nearest_the_number(sentence, number, dataset, expected):
    at = sentence.index(number)
    assert setting_of(sentence, at, at + len(number), dataset) == expected


def test_metric_tables_group_by_dataset_and_setting_best_first():
    claims, papers, _ = _tables({
        "a": "On ImageNet 256x256, our model achieves an FID of 2.5 without guidance.",
        "b": "On ImageNet 256x256, our model achieves an FID of 1.9 without guidance.",
        "c": "On ImageNet 256x256, our model achieves an FID of 1.2 with classifier-free guidance.",
        "d": "Our model achieves an FID of 3.1 on ImageNet 512x512.",
    })
    aliases = pd.DataFrame({"name": claims["dataset"].dropna().unique()})
    aliases = aliases.assign(dataset=aliases["name"], key="", rule="as written", n_claims=1)
    results = metric_results(claims, papers, aliases)
    sections = metric_sections(results, min_papers=2)
    assert [s["metric"] for s in sections] == ["FID"]
    groups = {(g["dataset"], g["setting"]): [r["paper_id"] for r in g["rows"]] for g in sections[0]["groups"]}
    without = next(key for key in groups if key[1] == "without guidance")
    assert groups[without] == ["b", "a"], "lower FID first"
    assert any(key[1] == "with guidance" and ids == ["c"] for key, ids in groups.items())
    assert any("512" in key[0] and ids == ["d"] for key, ids in groups.items())


def test_theme_metric_view_counts_result_metrics_only():
    claims, papers, _ = _tables({
        "a": "Our 7B model reaches 81.2% accuracy on GSM8K, 3x faster than the baseline.",
        "b": "We train on 330B tokens and report an accuracy of 75.0% on GSM8K.",
    })
    counts = theme_metric_counts(claims, papers)
    assert set(counts.columns) <= {"accuracy", "speed"} and counts.loc[0, "accuracy"] == 2
    assert "parameters" not in counts.columns and "training data" not in counts.columns


@pytest.mark.parametrize(("raw", "shown"), [
    ("631-1074times speedup", "631–1074× speedup"),
    ("63.7\\% zero-shot", "63.7% zero-shot"),
    ("a 256times256 image", "a 256×256 image"),
    ("FID of $1.24$ on ImageNet $256\\times256$", "FID of 1.24 on ImageNet 256×256"),
    ("memory and runtime (2-3X)", "memory and runtime (2–3×)"),
    ("$\\sim$5x faster with $\\alpha$-blending", "~5× faster with α-blending"),
    ("it brings 3-it 10 times faster", "it brings 3–10 times faster"),
    ("Llama-2-7B and GPT-4 on 2021-03-05", "Llama-2-7B and GPT-4 on 2021-03-05"),
    ("up to 10\\,\\% fewer", "up to 10% fewer"),
    ("over 10^5 times faster", "over 10⁵ times faster"),
    ("over $10^{5}\\times$ faster, error below $10^{-6}$", "over 10⁵× faster, error below 10⁻⁶"),
    ("angular errors of 2.49^°, 3.22^{\\circ}", "angular errors of 2.49°, 3.22°"),
    ("up to a 3.8* inference speedup, 81.8%* on ImageNet", "up to a 3.8× inference speedup, 81.8%* on ImageNet"),
])
def test_numbers_reach_the_reader_without_latex_or_scraper_residue(raw, shown):
    assert display_text(raw) == shown


def test_the_marked_number_is_the_one_the_claim_points_at():
    sentence = "Our model is $3.2\\times$ faster, 41-137times cheaper and reaches 63.7\\% accuracy."
    lo = sentence.index("41-137times")
    pieces = marked_pieces(sentence, [(lo, lo + len("41-137times"), "result"),
                                      (sentence.index("63.7"), sentence.index(" accuracy"), "baseline")])
    assert [(p["text"], p["mark"]) for p in pieces if p["mark"]] == [("41–137×", "result"), ("63.7%", "baseline")]
    assert "".join(p["text"] for p in pieces) == "Our model is 3.2× faster, 41–137× cheaper and reaches 63.7% accuracy."
    assert marked(sentence, sentence.index("3.2"), sentence.index(" faster")) == {
        "before": "Our model is ", "mark": "3.2×", "after": " faster, 41–137× cheaper and reaches 63.7% accuracy."}


def test_values_carry_ranges_and_no_doubled_units():
    assert claim_value(3.0, "x", 2.0) == "2–3×"
    assert claim_value(30.0, "%", 25.0) == "25–30%"
    assert claim_label(8.0, "steps", "steps") == "8 steps"
    assert claim_label(330.0, "B", "tokens") == "330B tokens"
    assert claim_label(5.0, "x", "inference speed") == "5× inference speed"


@pytest.mark.parametrize(("value", "unit", "range_low", "words", "expected"), [
    (1.8, "", None, "from 18.65 to 1.80", "1.80"),  # the decimals the paper wrote
    (2.0, "", None, "achieves an FID<2", "<2"),  # a bound is no exact value
    (90.0, "%", None, "reaches over 90%", ">90%"),
    (1074.0, "x", 631.0, "631-1074times speedup", "631–1,074×"),
    (84.1, "%", None, "84.1% top-1 accuracy", "84.1%"),
    (0.5, "", None, None, "0.5"),  # no words: as stored
    (6.55e68, "USD", None, "$6.55 \\times 10^{68}", "6.55×10⁶⁸ USD"),  # not 69 digits
])
def test_values_are_shown_as_the_paper_wrote_them(value, unit, range_low, words, expected):
    assert claim_value(value, unit, range_low, words) == expected


def test_an_area_without_a_name_goes_by_its_largest_theme():
    themes = pd.DataFrame({"theme_id": [0, 1, 2], "label": ["Jailbreaks", "Adversarial attacks", "MRI"],
                           "size": [5, 9, 4], "area_id": [0, 0, 1], "area_label": ["Area 0", "Area 0", "Medical imaging"]})
    assert area_names(themes) == {0: "Adversarial attacks, …", 1: "Medical imaging"}


def test_a_factor_read_from_words_is_marked_approximate():
    assert format_factor(100.0, "orders of magnitude speedup") == "~100×"
    assert format_factor(100.0, "100x speedup") == "100×"
    assert format_factor(1 / 0.6) == "1.67×"
    assert format_factor(217.8, "217.8x speed-up", decimals=1) == "217.8×"  # the paper's own number as written
