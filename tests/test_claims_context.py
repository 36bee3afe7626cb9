"""What a claim is about (pipeline/claims/context.py): the metric of many fields, the baseline and
the dataset; real sentences from the default corpus, the conference and arXiv corpora, the dev sets."""

from __future__ import annotations

import pytest
from claims_helpers import only

from pipeline.claims import claims_in_text


@pytest.mark.parametrize(
    ("text", "value", "metric", "higher_is_better"),
    [
        ("Our results demonstrate a significant improvement in tissue segmentation, achieving a Dice score of 0.750.",
         0.75, "Dice", True),
        ("Notably, it reaches 85.12% Dice Score and 13.89mm HD95 on the Synapse dataset.", 13.89, "HD95", False),
        ("The clinical + tumor radiomics model with ComBat achieved a C-index of 0.7552 and t-AUC of 0.8820.", 0.8820,
         "AUROC", True),
        ("When combined with a convolutional network on the encoder, we achieve a WER of 9.6%.", 9.6, "WER", False),
        ("on MultiVENT 2.0++, CLaMR improves nDCG@10 by 25.6 over the best single-modality retriever", 25.6,
         "ranking metric", True),
        ("the translations produced by the LSTM achieve a BLEU score of 34.8 on the entire test set", 34.8, "BLEU", True),
        ("At batch size 1, it surpasses 1,100 tokens per second on HumanEval.", 1100.0, "throughput", True),
        ("the estimated reliability degrees strongly correlates with journalists-provided scores (Spearman=0.80)", 0.8,
         "correlation", True),
        ("reducing tumor hallucinations by more than 15% (segmentation dice score)", 15.0, "harm", False),
    ],
)
def test_metrics_of_many_fields(text, value, metric, higher_is_better):
    claim = next(c for c in claims_in_text(text) if c.value == value)
    assert (claim.metric, claim.higher_is_better) == (metric, higher_is_better)


def test_frames_per_second_are_not_read_as_mse():
    # the default corpus: the report's MSE table listed these frame rates as MSE values
    text = ("For TaxiBJ, the model decreases MSE by 33.1% and boosts FPS from 533 to 2364. Additionally, on "
            "WeatherBench, it reduces MSE by 11.1% while enhancing FPS from 196 to 404.")
    metrics = {c.value: c.metric for c in claims_in_text(text)}
    assert metrics == {33.1: "MSE", 533.0: "throughput", 2364.0: "throughput", 11.1: "MSE", 196.0: "throughput",
                       404.0: "throughput"}


def test_an_acronym_the_abstract_defines_otherwise_is_no_metric():
    # the default corpus: electron microscopy's "EM" is not exact match
    text = ("Cooperated with TokenUnify, we have assembled a large-scale electron microscopy (EM) image dataset with "
            "ultra-high resolution. TokenUnify leads to a significant 45\\% improvement in segmentation performance "
            "on downstream EM neuron segmentation tasks compared to existing methods.")
    assert only(text, "improvement").metric != "EM"
    qa = "Our reader reaches 71.2 exact match (EM) on Natural Questions, +8.6 EM over the retrieve-then-read baseline."
    assert {c.metric for c in claims_in_text(qa)} == {"EM"}


def test_who_is_compared_and_on_what():
    text = "For drone navigation tasks, SELP outperforms state-of-the-art planners by 10.8% in safety rate."
    claim = only(text, "improvement")
    assert (claim.baseline, claim.metric, claim.higher_is_better) == ("state-of-the-art planners", "success rate", True)
    judge = only("our 8b/405B-Judge achieves a speedup of 9x over Llama-405B, while maintaining its quality", "speedup")
    assert judge.baseline == "Llama-405B"
    fvd = claims_in_text("Our model achieves FVD scores of 103.3 on UCF101 and 25.5 on K600, outperforming the vanilla "
                         "NTP model by an average of 4.4.")
    assert [(c.kind, c.value, c.dataset) for c in fvd if c.kind == "score"] == [
        ("score", 103.3, "UCF101"), ("score", 25.5, "K600"),
    ]
    assert [(c.value, c.baseline) for c in fvd if c.kind == "improvement"] == [(4.4, "vanilla NTP")]
    mamba = only("It also achieves 2.6x-3.8x higher throughput (tokens/s) than MambaInLlama up to a 32k context length.",
                 "speedup")
    assert (mamba.value, mamba.range_low, mamba.baseline) == (3.8, 2.6, "MambaInLlama")


def test_slash_pairs_split_values_and_baselines():
    text = ("M-VAR-d32 registers 1.78 FID on ImageNet 256times256 and outperforms the prior-art autoregressive models "
            "LlamaGen/VAR by 0.4/0.19 and popular diffusion models LDM/DiT by 1.82/0.49, respectively.")
    changes = [(c.value, c.baseline, c.metric) for c in claims_in_text(text) if c.kind == "improvement"]
    assert changes == [(0.4, "LlamaGen", "FID"), (0.19, "VAR", "FID"), (1.82, "LDM", "FID"), (0.49, "DiT", "FID")]


def test_reached_and_compared_values_are_scores():
    # made up, in the style of an arXiv abstract
    text = "an improvement of $+4.3$ points in accuracy, reaching $78.2\\%$ (vs.\\ $73.9\\%$ for the baseline)."
    assert {(c.kind, c.value, c.unit, c.role) for c in claims_in_text(text)} == {
        ("improvement", 4.3, "pp", "result"), ("score", 78.2, "%", "result"), ("score", 73.9, "%", "baseline"),
    }


def test_the_changed_metric_is_the_verbs_object():
    text = ("Our experiments demonstrate that ORBITFLOW improves SLO attainment for TPOT and TBT by up to 66% and 48%, "
            "respectively, while reducing the 95th percentile latency by 38%.")
    assert {c.value: (c.kind, c.metric) for c in claims_in_text(text)} == {
        66.0: ("improvement", "utilization"), 48.0: ("improvement", "utilization"), 38.0: ("reduction", "latency"),
    }


def test_devices_after_a_factor_are_counted():
    text = "averages over 800 tokens per second across six benchmarks on $8\\times$ H800 GPUs."
    assert ("scale", 8.0, "GPUs") in {(c.kind, c.value, c.unit) for c in claims_in_text(text)}


def test_an_acronym_given_a_value_is_its_metric_unless_a_metric_heads_the_list():
    text = ("models converge more on problems they collectively fail (Centered Kernel Alignment [CKA] = 0.897) than "
            "on those they solve (CKA = 0.830).")
    assert [c.metric for c in claims_in_text(text)] == ["CKA", "CKA"]
    text = "Both proposed models outperform the state-of-the-art model (F1-scores: CNN=0.46, ANN=0.44)."
    assert [c.metric for c in claims_in_text(text)] == ["F1", "F1"]


def test_a_long_metric_name_beats_a_prefix_reading():
    text = ("Models trained with our InST-synthesized images achieve up to 37\\% lower Mean Absolute Error (MAE) "
            "compared to models trained on hard-coded synthetic data, and a 52\\% reduction in MAE compared to models "
            "trained on Cell200-s (from 53.70 to 25.95 MAE).")
    assert {(c.kind, c.value, c.metric) for c in claims_in_text(text) if c.value in (37.0, 52.0)} == {
        ("improvement", 37.0, "MAE"), ("improvement", 52.0, "MAE")}
    assert {c.metric for c in claims_in_text("improving the Macro-F1 to 71.2 on the test set.")} == {"F1"}


def test_a_hyphen_inside_a_name_joins_no_range():
    text = ("achieving FID scores of 1.58 on ImageNet-64$\\times$64 and 18.4 on SDXL, while substantially "
            "simplifying the overall distillation framework.")
    assert {(c.kind, c.value, c.range_low) for c in claims_in_text(text)} == {
        ("score", 1.58, None), ("scale", 64.0, None), ("score", 18.4, None)}
