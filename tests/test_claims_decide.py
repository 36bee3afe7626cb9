"""Deciding each number's kind (pipeline/claims/decide.py and coordinate.py), one rule per test,
with real sentences from the default corpus, the conference and arXiv corpora and the dev sets."""

from __future__ import annotations

import pytest
from claims_helpers import facts, only

from pipeline.claims import claims_in_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MeZO achieves comparable performance to fine-tuning with backpropagation across multiple tasks, with up to "
         "12x memory reduction", ("reduction", 12.0, "x")),
        ("while running approximately 8x faster than their AR-based counterparts.", ("speedup", 8.0, "x")),
        ("MAGNeT is significantly faster (x7 faster than the autoregressive baseline).", ("speedup", 7.0, "x")),
        ("the architecture demonstrates 10-20x gains in inference throughput compared to vanilla transformers",
         ("speedup", 20.0, "x")),
        ("OWSM-CTC is more robust and 3 to 4 times faster for inference.", ("speedup", 4.0, "x")),
        ("the self-attention distilling highlights dominating attention by halving cascading layer input",
         ("reduction", 2.0, "x")),
        ("our method generates AMs with hundreds of times fewer faces", ("reduction", 100.0, "x")),
        ("the new algorithms are four orders of magnitude faster than a CPU implementation", ("speedup", 10000.0, "x")),
        ("the algorithms are also orders of magnitude faster than SVMperf.", ("speedup", 100.0, "x")),
        ("we train an equivalent model using 4x less GPUs in the same wall time", ("reduction", 4.0, "x")),
        ("SaShiMi generates piano and speech waveforms, e.g. 2x better mean opinion scores than WaveNet",
         ("improvement", 2.0, "x")),
        ("the model reduces the average computation time by a factor of 20 when compared to the ReTA model",
         ("reduction", 20.0, "x")),
        ("the t-ω FCM achieves a speedup factor of 22 and reduces degrees of freedom by 78 %", ("speedup", 22.0, "x")),
        # conference: wall-clock time improvements are a speedup; "16x smaller" is about size, not precision
        ("for a setup consisting of a four-node GPU cluster we show wall-clock time training improvements of up to "
         "5.4x compared to conventional approaches.", ("speedup", 5.4, "x")),
        ("During inference, only ternary values (2-bit weights) and scaling factors are needed, therefore our models "
         "are nearly 16× smaller than full- precision models.", ("reduction", 16.0, "x")),
    ],
)
def test_factors(text, expected):
    assert expected in facts(text)


def test_doublings_take_their_kind_from_what_doubles():
    assert ("improvement", 2.0, "x") in facts(
        "Finetuning the multilingual model on additional synthetic Hindi disfluent text nearly doubles the number of "
        "exact matches and yields a 20-point boost in F1 scores.")
    assert ("improvement", 2.0, "x") in facts("Appropriate spacing of study can double retention on educationally "
                                              "relevant time scales.")
    assert ("scale", 2.0, "x") in facts("However, this operation doubles the computational load, eroding much of the "
                                        "efficiency advantage that originally Mamba have.")
    assert ("scale", 2.0, "x") in facts("it provides performance comparable to models double its size")
    assert ("scale", 2.0, "x") in facts("Mamba matches Transformers twice its size.")


def test_coordinated_factors_share_the_cue_after_them():
    text = ("Overall, PIM-GPT achieves 41-137times, 631-1074times speedup and 339-1085times, 890-1632times energy "
            "efficiency over GPU and CPU baseline, respectively, on 8 GPT models with up to 1.4 billion parameters.")
    assert facts(text) == {
        ("speedup", 137.0, "x"), ("speedup", 1074.0, "x"), ("improvement", 1085.0, "x"), ("improvement", 1632.0, "x"),
        ("scale", 8.0, ""), ("scale", 1.4, "B"),
    }


def test_elliptical_repeats_and_comparisons_take_the_earlier_kind():
    text = ("it brings over 11x inference speedup on GPT and 16x on LLAMA compared to the cutting-edge solutions "
            "provided by NVIDIA FasterTransformer.")
    assert facts(text) == {("speedup", 11.0, "x"), ("speedup", 16.0, "x")}
    winograd = ("For models on CIFAR-10, CIFAR-100 and ImageNet datasets, our method reduces the number of "
                "multiplications by 10.4x, 6.8x and 10.8x respectively with loss of accuracy less than 0.1%, "
                "outperforming previous baselines by 2.0x-3.0x.")
    assert {("reduction", 10.4, "x"), ("reduction", 3.0, "x"), ("improvement", 0.1, "%")} <= facts(winograd)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ICR outperforms RankGPT while cutting the latency by more than 60% in practice.", ("reduction", 60.0, "%")),
        ("encoder-decoder architectures achieve 47% lower first-token latency", ("reduction", 47.0, "%")),
        ("our method yields a 31% reduction in FID", ("improvement", 31.0, "%")),  # less FID is better
        ("VAT achieves up to a 250x compression, reducing a 1MB mesh to just 3.9KB with a 96% F-score.",
         ("score", 96.0, "%")),
        ("FFN-SkipLLM can skip 25-30% of FFN blocks of LLMs with marginal change in performance",
         ("reduction", 30.0, "%")),
        ("SpaceTime speeds up training on real-world ETTh1 data by 73% and 80% relative wall-clock time",
         ("speedup", 80.0, "%")),
        # a share with no change is a measured level: conference n=2, arXiv n=138 and n=130
        ("Results show that our technique can achieve 94% detection accuracy for 7 different kinds of attacks with "
         "9.91% false positives on benign inputs.", ("score", 9.91, "%")),
        ("Gemini-2.5-Pro performs surprisingly well on this task: 81% of its Frankentexts\nare coherent and 100% "
         "relevant to the prompt.", ("score", 81.0, "%")),
        ("Smart home lighting systems consume 15-20% of residential energy but lack adaptive intelligence.",
         ("score", 20.0, "%")),
        ("Our benchmarks demonstrate that our approach exceeds 99% soundness.", ("score", 99.0, "%")),
        # a share of a resource used is a cut, of what is kept a level
        ("MPFlow matches diffusion baselines on image quality using only 20% of sampling steps",
         ("reduction", 20.0, "%")),
        ("The resulting knowledge graph efficiently represents the patient-centred input documents with\n23\\% of the "
         "original text while retaining 90\\% of the information.", ("reduction", 23.0, "%")),
        ("CoSHC can save more than 90% of retrieval time meanwhile preserving at least 99% of retrieval accuracy.",
         ("reduction", 90.0, "%")),
        # inference cost improvements are cuts; a lower harm is an improvement
        ("dynamic early exiting achieves consistent and considerable inference cost improvements (37.86% for 7B and "
         "46.35% for 13B model)", ("reduction", 46.35, "%")),
        ("the GALAD agent improves task performance by 4% while reducing the frequency of socially harmful behaviors "
         "by 25% compared to strong contemporary value alignment approaches.", ("improvement", 25.0, "%")),
    ],
)
def test_percent(text, expected):
    assert expected in facts(text)


@pytest.mark.parametrize(
    "text",
    [
        "this relationship holds past sparsity levels of more than 96%.",
        "With a fixed maximum perturbation of only 1.5% on any pixel, attacks fool the defense.",
        "replacing 10-30% of words with synonyms",
    ],
)
def test_shares_of_settings_are_scale(text):
    assert {kind for kind, _, unit in facts(text) if unit == "%"} == {"scale"}


def test_degradations_are_positive_improvements_marked_as_such():
    loss = only("our method reduces the number of multiplications with loss of accuracy less than 0.1%.",
                "improvement")
    assert (loss.value, loss.unit, loss.metric, loss.higher_is_better) == (0.1, "%", "accuracy (degradation)", False)
    drops = only("models are highly sensitive to irrelevant persona details, with performance\ndrops of almost 30 "
                 "percentage points.", "improvement")
    assert (drops.value, drops.unit) == (30.0, "pp")
    assert ("improvement", 1.0, "%") in facts("We demonstrate MERA-layers with 3900 times fewer parameters and a "
                                              "reduction in accuracy of less than 1% compared to the equivalent layers.")
    assert ("improvement", 0.7, "%") in facts("SemAIM outperforms the vanilla MAE, sacrificing less than 0.7% accuracy.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MEAP shows remarkable advantages, outperforming NTP by 11.77 percentage points.", ("improvement", 11.77, "pp")),
        ("it leads to an average improvement of at least 10 points over more established retrieval solutions",
         ("improvement", 10.0, "pp")),
        ("The test accuracy on the widely-used CB513 dataset is 71.5%, which is 1.2-points better than the current best.",
         ("improvement", 1.2, "pp")),
        ("nearly doubles the number of exact matches and yields a 20-point boost in F1 scores", ("improvement", 20.0, "pp")),
        ("our model achieves new state-of-the-art performances, obtaining a 4.8 absolute overall accuracy improvement",
         ("improvement", 4.8, "pp")),
        ("our method improves bridging anaphora recognition by 10.5 F1 points", ("improvement", 10.5, "pp")),
        ("problems with more than 1000 points can be treated", ("scale", 1000.0, "")),  # data points, counted
    ],
)
def test_points(text, expected):
    assert expected in facts(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Meanwhile, xAR-H sets a new state-of-the-art with an FID of 1.24.", ("score", 1.24, "")),
        ("Our 12-encoder system achieves Score = 0.279 (ACCP = 0.391, ACCS = 0.168) on the test set.",
         ("score", 0.391, "")),
        ("five of eight clusters have at least 0.95 purity against InteraSkill Workflows labels.", ("score", 0.95, "")),
        ("o1 and Deepseek-R1 models reach human-level performance in value selection (0.809 and 0.814)",
         ("score", 0.814, "")),
        ("Gemini-2.5-Flash achieves an average score of only 65.08.", ("score", 65.08, "")),
        ("notably, it reaches 85.12% Dice Score and 13.89mm HD95 on the Synapse dataset", ("score", 13.89, "mm")),
        ("a human subject study (N=64) shows that IntElicit improves elicited creative outcomes", ("scale", 64.0, "")),
    ],
)
def test_bare_and_unit_scores(text, expected):
    assert expected in facts(text)


def test_out_of_gives_a_score_and_a_total():
    text = ("Experimental results demonstrate that ARLON significantly outperforms the baseline OpenSora-V1.2 on eight "
            "out of eleven metrics selected from VBench.")
    assert facts(text) == {("score", 8.0, ""), ("scale", 11.0, "")}
    assert {("score", 5.0, ""), ("scale", 8.0, "")} <= facts("five of eight clusters have at least 0.95 purity")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We release a model checkpoint capable of producing 1024 times 1024 resolution images.",
         ("scale", 1024.0, "px")),
        ("Experiments on ImageNet256times 256 and UCF101 demonstrate that NAR works.", ("scale", 256.0, "px")),
        ("OPT models of 1.3 billion and 6.7 billion parameters", ("scale", 1.3, "B")),
        ("We also explored model scales ranging from 700M to 3B parameters", ("scale", 3.0, "B")),
        ("the inputs with 8k tokens", ("scale", 8.0, "k")),  # the magnitude is the unit of a size
        ("we can create an Orthus-base model effortlessly (e.g., within mere 72 A100 GPU hours).",
         ("scale", 72.0, "GPU hours")),
        ("Experiments on 38 datasets spread across four popular sequential problem settings", ("scale", 38.0, "")),
        ("When trained for only two weeks on four GPUs, ARTcdotV already can generate videos", ("scale", 4.0, "GPUs")),
        ("Experiments using the public AISHELL-1, AISHELL-2 benchmark, and an industrial-level 20,000 hour task",
         ("scale", 20000.0, "hours")),
        ("Extensive real-world evaluation across 10 participants and 19 distinct postures demonstrates exceptional "
         "performance", ("scale", 19.0, "")),
        ("on a standard 11-benchmark evaluation suite (MATH, MMLU, etc.), our simple recipe matches Tülu 3",
         ("scale", 11.0, "")),
        ("The Batch WaveRNN produces 8 samples per step without loss of quality", ("scale", 8.0, "samples/step")),
        ("a large multimodal model whose video embeddings produce competitive presence accuracy from only 2 seconds "
         "of input", ("scale", 2.0, "s")),
        ("the model generates 8.89 frames per second", ("score", 8.89, "frames/s")),
    ],
)
def test_scale(text, expected):
    assert expected in facts(text)


def test_small_counts_in_words_need_an_evaluated_noun():
    assert ("scale", 2.0, "") in facts("We evaluate the method on two datasets.")
    assert facts("The model compares two images at a time.") == set()


def test_range_across_magnitudes_is_normalized():
    claim = only("We also explored model scales ranging from 700M to 3B parameters", "scale")
    assert (claim.value, claim.range_low, claim.unit, claim.metric) == (3.0, 0.7, "B", "parameters")


def test_reduced_to_a_size_is_a_reduction():
    text = "This strategy reduces pre-training time from potentially thousands of GPU-days to merely 88 GPU-days."
    assert facts(text) == {("reduction", 88.0, "GPU-days")}
    steps = "For LlamaGen, DD reduces generation from 256 steps to 1, achieving an 217.8times speed-up."
    assert facts(steps) == {("scale", 256.0, "steps"), ("reduction", 1.0, "steps"), ("speedup", 217.8, "x")}
    single = "it condenses the iterative sampling process of the diffusion model into a single step."
    assert [(c.kind, c.value, c.unit, c.text) for c in claims_in_text(single)] == [
        ("reduction", 1.0, "steps", "single step"),
    ]


def test_a_change_with_a_physical_unit():
    text = "a compact 12M-parameter model surpasses a static 96M model by 9.9 dB (NMSE, SNR = 20 dB)"
    assert {("improvement", 9.9, "dB"), ("scale", 20.0, "dB")} <= facts(text)


def test_read_off_random_corpus_claims():
    """Sentences from random samples of the arXiv and conference corpora that were read wrong once."""
    chamfer = claims_in_text("DeformPIC consistently outperforms previous state-of-the-art methods, achieving "
                             "reductions of 1.6, 1.8, and 4.7 points in average Chamfer Distance on reconstruction")
    assert [(c.kind, c.value, c.unit, c.metric) for c in chamfer] == [  # less is better: a gain, no loss
        ("improvement", v, "pp", "Chamfer distance") for v in (1.6, 1.8, 4.7)]
    assert ("reduction", 7.0, "x") in facts("achieving Transformer-level performance with 7* fewer FLOPs.")
    assert facts("the multi-sample approach produced slightly tighter confidence intervals (90%, 95%, 99%)") == {
        ("scale", 90.0, "%"), ("scale", 95.0, "%"), ("scale", 99.0, "%")}
    assert ("reduction", 60.0, "%") in facts("with less than 50% parameters and about only 60% required GPU memory.")
    assert facts("we obtain an improved additive distortion bound depending only on the hyperbolicity and doubling "
                 "dimension of the metric.") == set()
    assert ("score", 67.5, "%") in facts("It achieves 87.0% validation accuracy on a 3000-sample subset, surpassing a "
                                         "200-sample baseline of 67.5% by combining spatial and visual data.")
