"""Deciding each number's kind (pipeline/claims/decide.py and coordinate.py), one rule per test,
with real sentences from the default corpus, the conference and arXiv corpora and the dev sets."""

from __future__ import annotations

import pytest
from claims_helpers import facts, only, reasons

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


# --- rules from the blind held-out sets' development parts, checked on corpus samples ---------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # default corpus: a bare delta on a metric stated in percent is in points
        ("RETRO++ largely improves open-domain QA results of original RETRO (e.g., EM score +8.6 on Natural "
         "Question).", ("improvement", 8.6, "pp")),
        ("showing over 2.4 F1 improvement for EAE and 1.4 F1 improvement for NER.", ("improvement", 1.4, "pp")),
        ("On DINOv3-S+, ViT-Up improves over prior methods by up to +2.07 mIoU on Cityscapes.",
         ("improvement", 2.07, "pp")),
        # ... but not on a metric written as a fraction, nor in a sentence that writes scores as fractions
        ("Remarkably, our HOLA ranks 1st, outperforming the second by 0.0476 AUC on the TestA set.",
         ("improvement", 0.0476, "")),
        ("A classifier achieves a precision of 0.80, a recall of 0.89, and an F1 score of 0.84, surpassing "
         "metadata-only baselines by greater than or equal to 0.17 F1 score.", ("improvement", 0.17, "")),
        ("SaShiMi generates waveforms with +10.0 in Character Identity.", ("improvement", 10.0, "")),
    ],
)
def test_bare_deltas_take_points_from_their_metric(text, expected):
    assert expected in facts(text)


def test_speed_words():
    assert ("speedup", 2.0, "x") in facts("during continued pretraining on an out-of-domain language, our model trains "
                                          "almost twice as fast, achieves superior performance on the target language")
    assert ("speedup", 100.0, "x") in facts("training a sliding-window object detector and pose estimator can be sped "
                                            "up by orders of magnitude, for transformations as diverse as rotation")


def test_halving_by_half_is_a_factor_of_two_but_half_the_time_is_a_share():
    assert ("reduction", 2.0, "x") in facts("contextual embeddings show competitive performance with Chain-of-Thought "
                                            "while reducing inference-time FLOPs on average by half.")
    assert ("reduction", 2.0, "x") in facts("LaVi improves inference speed by 3.1 times, and cuts memory usage in half.")
    assert ("improvement", 2.0, "x") in facts("this technique improves a classifier, reducing error rate by about "
                                              "half, on average.")
    assert not any(f[1] == 2.0 for f in facts("our approach outperforms the state-of-the-art model while running in "
                                              "nearly half the time."))


BYTE_TRANSFORMER = (
    "Transformers need accelerated performance. In this paper, we present ByteTransformer, a high-performance "
    "transformer. Experimental results on an NVIDIA A100 GPU validate that our fused MHA outperforms PyTorch by 6.13x."
)
TOKEN_RECYCLING = (
    "Speculative decoding accelerates inference. Token Recycling requires less than 2MB of additional storage and "
    "achieves approximately 2x speedup across all sizes of LLMs. It significantly outperforms existing train-free "
    "methods by 30% and even a training method by 25%."
)


def test_a_comparison_by_a_factor_in_an_abstract_about_speed_is_a_speedup():
    assert ("speedup", 6.13, "x") in facts(BYTE_TRANSFORMER)
    # no speed in the abstract: a factor over a baseline is a gain in quality
    assert ("improvement", 30.0, "x") in facts("Our end-to-end tokenizer is moderately expressive. It particularly "
                                               "outshines on rare words, outperforming baselines by a factor of 30!")


def test_a_percent_margin_right_after_a_speedup_is_one_unless_its_sentence_speaks_of_quality():
    assert {("speedup", 30.0, "%"), ("speedup", 25.0, "%")} <= facts(TOKEN_RECYCLING)
    q_zoom = ("Q-Zoom accelerates inference by 2.52 times on Document benchmarks while matching the baseline's peak "
              "accuracy. Furthermore, Q-Zoom surpasses the baseline's peak performance by 1.1% and 8.1% on these "
              "benchmarks.")
    assert {("improvement", 1.1, "%"), ("improvement", 8.1, "%")} <= facts(q_zoom)


@pytest.mark.parametrize(
    ("text", "value", "metric"),
    [
        ("BERT-wwm achieves only 67.7% F1 on Molweni’s questions, a 20+% significant drop as compared against its "
         "SQuAD 2.0 performance.", 20.0, "F1 (degradation)"),
        ("Specifically, it preserves stable results with a maximal performance drop of 0.6% on the Youtube-VIS 2021 "
         "dataset.", 0.6, "performance (degradation)"),
        ("we demonstrate speedups of convolutional layers by a factor of 2×, while keeping the accuracy within 1% of "
         "the original model.", 1.0, "accuracy (degradation)"),
    ],
)
def test_losses_of_quality_are_degradations(text, value, metric):
    claim = next(c for c in claims_in_text(text) if c.value == value)
    assert (claim.kind, claim.unit, claim.metric) == ("improvement", "%", metric)


def test_within_a_share_of_a_cost_is_no_loss():
    text = ("further analysis shows the gains in sample efficiency, exceeding the maximum reward of plain GRPO within "
            "60% training time.")
    assert all(c.kind != "improvement" for c in claims_in_text(text))


def test_only_a_share_of_a_cost_is_a_cut_but_a_share_of_data_that_is_generated_is_not():
    assert ("reduction", 10.0, "%") in facts(
        "our method achieves performance on par with recent diffusion models with only 10% of their parameters.")
    assert ("speedup", 46.0, "%") in facts("a 1.7% improvement over Forward Checking (t=-4.82) with 46% faster runtime "
                                           "(12.9ms versus 23.7ms per guess).")
    assert ("scale", 60.0, "%") in facts("Our dataset comprises over 250 hours of videos across eight languages, with "
                                         "60% of data being generated.")


def test_a_signed_cut_of_a_cost_is_a_reduction():
    assert ("reduction", 28.0, "%") in facts("it reduces training duration by -28% for birds classification")


def test_a_loss_that_is_cut_is_no_change_for_the_worse():
    assert ("reduction", 33.0, "%") in facts("our consequence-aware scheduler reduces cost-weighted loss by 22% to 33% "
                                             "relative to difficulty-aware routing")


@pytest.mark.parametrize(
    "text",
    [
        "The best system performance is still far from human performance (a 14.20% gap in accuracy).",
        "Our comprehensive evaluation reveals a human-model performance gap of 14.2%, even with the best model.",
    ],
)
def test_gaps_are_differences(text):
    assert ("improvement", 14.2, "%") in facts(text)


def test_a_cut_with_no_metric_in_a_sentence_about_errors_is_an_improvement():
    assert ("improvement", 3.0, "x") in facts(
        "On the Omniglot dataset, ARC based models achieve an error rate of 1.5% in the One-Shot classification task "
        "- a 2-3x reduction compared to the previous best models.")
    assert ("reduction", 20.0, "%") in facts(
        "MPFlow matches diffusion baselines on image quality using only 20% of sampling steps while reducing tumor "
        "hallucinations by more than 15%.")


def test_better_is_a_gain_in_quality_even_next_to_a_cost():
    assert ("improvement", 100.0, "x") in facts("our algorithm is able to learn large number of parameters resulting "
                                                "in orders of magnitude better prediction.")


def test_gains_reaching_a_share_are_changes():
    assert {("improvement", 20.0, "%"), ("improvement", 10.0, "%")} <= facts(
        "it boosts performance on VQA benchmarks (with peak accuracy gains reaching over 20% and 10% respectively).")


def test_numbers_joined_across_a_metric_share_their_kind():
    claims = claims_in_text("significant performance gains (up to 2.57% mIoU and 13.91% IoU) over existing label "
                            "noise learning baselines")
    assert [(c.kind, c.value) for c in claims] == [("improvement", 2.57), ("improvement", 13.91)]
    assert [c.metric for c in claims_in_text("it reaches 80% accuracy and 20% FPR on X.")] == ["accuracy", "harm"]


def test_before_and_after_in_parentheses_after_a_change():
    claims = claims_in_text("The combined method raised the mean F1 by 11.1% (0.700 to 0.778) across all four "
                            "centers compared to the baseline nnU-Net.")
    assert [(c.kind, c.value, c.role) for c in claims] == [
        ("improvement", 11.1, "result"), ("score", 0.7, "baseline"), ("score", 0.778, "result")]
    assert ("speedup", 3.0, "x") in facts("speedups of 2-3x (2x to 3x) are common")


def test_from_and_to_with_words_between():
    claims = claims_in_text("the average danger score of the model increases from 0.09 in its baseline setting to "
                            "0.79 after optimization.")
    assert [(c.kind, c.value, c.role) for c in claims] == [("score", 0.09, "baseline"), ("score", 0.79, "result")]


@pytest.mark.parametrize(
    ("text", "value", "metric"),
    [
        ("Statistical analysis reveals a consistent genre hierarchy (Canonical > Pulp > LLM, all p<0.001) with "
         "layer-specific discrimination", 0.001, "p-value"),
        ("cultural critique exhibits very large effect sizes (Cohen's d>2.4), while emotional representation shows "
         "smaller gaps (d=1.68)", 1.68, "effect size"),
        ("is a reliable negative predictor of sycophancy ($r = -0.441$, BCa 95\\% CI)", -0.441, "correlation"),
        ("Inter-Annotator Agreement reached substantial levels (Cohen's Kappa equals 0.71), though dialects vary.",
         0.71, "kappa"),
        ("the best zero-shot model (GPT-OSS-20B) achieved Micro-F1 of 0.893, accurately extracting relations", 0.893,
         "F1"),
        ("Validation on two spinal datasets yielded a mean absolute error (MAE) of 0.7 mm.", 0.7, "MAE"),
    ],
)
def test_named_values_are_scores(text, value, metric):
    claim = next(c for c in claims_in_text(text) if c.value == value)
    assert (claim.kind, claim.metric) == ("score", metric)


def test_a_dimension_written_like_a_statistic_is_a_formula():
    assert reasons("We use d=768 and k=5 throughout.") == {"768": "formula", "5": "formula"}


# --- round 3: rules checked on corpus samples of their construction (benchmarks/claims_folds.py --grep) ---


@pytest.mark.parametrize(
    ("text", "scores"),
    [
        ("Experiments on the OCELOT benchmark demonstrate consistent improvements, achieving macro F1-scores of "
         "0.7722 on the validation set and 0.7345 on the test set.", [(0.7722, "F1"), (0.7345, "F1")]),
        ("scoring 0.8681 on Task A (binary sexism detection), 0.6829 on Task B (category classification of sexism), "
         "and 0.4722 on Task C (fine-grained sexism vectors) test sets.", [(0.8681, None), (0.6829, None),
                                                                           (0.4722, None)]),
        # arXiv 2507.03738: a condition holding a number ("two steps (NFE=2)") between the listed values
        ("By distilling a pre-trained LightningDiT model, our method achieves a state-of-the-art FID of 1.32 with two "
         "steps (NFE=2) and 1.76 with just one step (NFE=1) on ImageNet 256x256.", [(1.32, "FID"), (1.76, "FID")]),
        ("Notably, DiCo-XL achieves an FID of 2.05 at 256x256 resolution and 2.53 at 512x512, with a 2.7x and 3.1x "
         "speedup over DiT-XL/2, respectively.", [(2.05, "FID"), (2.53, "FID")]),
    ],
)
def test_parallel_values_continue_a_list_of_scores(text, scores):
    assert [(c.value, c.metric) for c in claims_in_text(text) if c.kind == "score"] == scores


def test_a_value_after_a_change_does_not_continue_the_list():
    text = ("The ensemble achieves a mAP50-95 of 0.201 on the preliminary test set, a gain of 29% over the best "
            "individual model, and 3 submissions.")
    assert [c.value for c in claims_in_text(text) if c.kind == "score"] == [0.201]


def test_a_setting_named_in_parentheses_restates_the_number_before_it():
    text = ("our method achieves a state-of-the-art FID of 1.32 with two steps (NFE=2) and 1.76 with just one step "
            "(NFE=1) on ImageNet 256x256.")
    assert reasons(text)["2"] == "repeat" and reasons(text)["1"] == "repeat"
    assert ("scale", 2.0, "steps") in facts(text)
    assert ("scale", 50.0, "") in facts("We sample with a deterministic solver (NFE=50) and report FID.")


def test_a_bare_number_after_a_size_is_joined_only_as_its_other_end():
    assert ("reduction", 1.0, "steps") in facts("For LlamaGen, DD reduces generation from 256 steps to 1, achieving "
                                                "an 217.8times speed-up.")
    text = "a FID of 1.32 with two steps (NFE=2) and 1.76 with one step on ImageNet."
    assert [c.metric for c in claims_in_text(text) if c.kind == "scale"] == ["steps"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(2) model scales largely impact performance by 45-60% yet persists script-specific challenges",
         ("improvement", 60.0, "%")),
        ("and (3) machine-translated data underestimates accuracy by7-22% versus localized data.",
         ("improvement", 22.0, "%")),
        ("and is shown to help learn/remember a grammatical rule (confirmed by 80% of the participants).",
         ("score", 80.0, "%")),
        ("We evaluate 10 powerful language models on these benchmarks and we find that they are bound by 71% accuracy "
         "on Invalsi MATE.", ("score", 71.0, "%")),
    ],
)
def test_changes_by_a_share_with_no_cue_word(text, expected):
    assert expected in facts(text)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Evaluations on 40 MLLMs show significant performance gaps, with the best model trailing humans by 24.38% on "
         "average.", "improvement", 24.38),
        ("D-COUNTDOWN can omit 90% of computations with performance loss as low as 5.5% ideally.", "improvement", 5.5),
        ("On a targeted challenge set, the same configuration degrades by only 0.03 F1 versus 0.19 to 0.25 for "
         "smaller reviewers.", "improvement", 0.03),
        ("removing sentence embeddings causes the largest performance degradation (2.39%), demonstrating their "
         "critical role.", "improvement", 2.39),
        # a value stated near a word for the worse is a level, not the size of the loss
        ("finding that every variant underperforms the zero-shot baseline (0.255 mIoU), with engineered prompts "
         "scoring as low as 0.07 mIoU.", "score", 0.255),
        ("The best performing model, however, still significantly underperforms compared to inter-expert agreement "
         "(Cohen's kappa: 0.81).", "score", 0.81),
    ],
)
def test_words_for_the_worse_take_only_the_size_of_the_loss(text, kind, value):
    assert [c.kind for c in claims_in_text(text) if c.value == value] == [kind]


def test_a_bare_count_takes_no_cue_across_a_new_subject():
    text = ("On the multi-vessel dataset, using 1,024 anisotropic RBF centers our model reduces the mean relative L2 "
            "error by 52% compared to the best neural-operator baseline.")
    assert [(c.kind, c.value) for c in claims_in_text(text) if c.kind != "scale"] == [("improvement", 52.0)]
    assert ("improvement", 4.8, "pp") in facts("Our parser achieves a 4.8 absolute overall accuracy improvement.")


def test_a_parenthesized_pair_after_a_change_is_its_before_and_after():
    text = ("We evaluated seven state-of-the-art VLMs and found that models lag behind human performance by 28%, with "
            "steeper declines in accuracy (60% to 30 %) as the temporal gap widens.")
    assert {(c.kind, c.value, c.role) for c in claims_in_text(text) if c.kind == "score"} == {
        ("score", 60.0, "baseline"), ("score", 30.0, "result")}
    text = ("COMPASS consistently reduces contextual hallucination rates (2.8 to 5.8 percent absolute) while revealing "
            "how distinct attention heads contribute.")
    assert [(c.value, c.range_low) for c in claims_in_text(text)] == [(5.8, 2.8)]


@pytest.mark.parametrize(("text", "before", "after"), [
    # corpus sentences: a change word or amount, a name or a few words, then the pair (a metric may lead it)
    ("Specifically, for GPT-OSS-120B, it improves Acc@1 from 67.2 to 76.3, with similarly large AUC gains on "
     "GPT-OSS-20B (69.0 to 79.2).", 69.0, 79.2),
    ("For predicting the risk of PCa within five years of the visit, incorporating prior context reduced false "
     "positive rates still further (64% to 9%).", 64.0, 9.0),
    ("Experiments on chest X-ray datasets demonstrate that context alignment improves discriminative performance "
     "(AUC 0.918 to 0.925) while maintaining calibrated uncertainty.", 0.918, 0.925),
    ("BPO significantly outperforms DPO, improving accuracy by +10.1% with Llama-3.1-8B-Instruct (18.8%\nto 28.9%) "
     "and +11.7% with Qwen2.5-Math-7B (35.0% to 46.7%).", 18.8, 28.9),
])
def test_a_pair_after_a_change_a_few_words_back_is_its_before_and_after(text, before, after):
    roles = {c.value: c.role for c in claims_in_text(text) if c.kind == "score"}
    assert (roles.get(before), roles.get(after)) == ("baseline", "result")


def test_a_parenthesized_range_after_a_noun_stays_a_range():
    text = ("we train the same text-to-image model on datasets that differ only in their fraction of unsafe images "
            "(0% to 9.6%), across several dataset scales.")
    assert not any(c.value == 0.0 for c in claims_in_text(text))


@pytest.mark.parametrize(("text", "values"), [
    ("finds a pre-training recipe that outperforms the nanoGPT baseline (19.7 minutes vs 35.9 minutes) on "
     "pre-training.", {(19.7, "result"), (35.9, "baseline")}),
    ("agentic workflows consume 4.33x higher mean energy per successful goal than linear baselines (888.1 J vs "
     "205.3 J).", {(888.1, "result"), (205.3, "baseline")}),
    ("our total human time to generate a 10,000-image dataset was 30.5,h versus 166.7,h for manual labelling.",
     {(30.5, "result"), (166.7, "baseline")}),
])
def test_sizes_set_against_each_other_are_measured_values(text, values):
    assert {(c.value, c.role) for c in claims_in_text(text) if c.kind == "score"} == values


def test_how_fast_it_runs_and_a_bounded_change():
    assert ("score", 12.5, "Hz") in facts("The resulting policy runs at 12.5 Hz on an RTX 4090, achieving a 3.28x "
                                           "inference speedup over OpenVLA-7B.")
    assert ("scale", 25.0, "Hz") in facts("it attains the best reported performance among all codecs operating at 25 Hz.")
    assert ("reduction", 20.0, "%") in facts("When applied with word-level boundaries, this on average reduces token "
                                             "sequence lengths by >20% across 14 languages.")


def test_a_count_out_of_the_total():
    text = "The research indicates that four of the nine models provide better image descriptions."
    assert facts(text) == {("score", 4.0, ""), ("scale", 9.0, "")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("With less than 5% of the task-specific data required by dedicated expert models, it achieves comparable "
         "performance.", ("reduction", 5.0, "%")),
        ("DenseDiT combines a parameter-reuse mechanism and two lightweight branches, working with less than 0.1% "
         "additional parameters.", ("reduction", 0.1, "%")),
        ("KG-FiD can achieve comparable or better performance in answer prediction than FiD, with less than 40% of "
         "the computation cost.", ("reduction", 40.0, "%")),
        ("our method outperforms existing state-of-the-art approaches, e.g., reducing 50\\% training costs on "
         "ImageNet-1k with lossless performance.", ("reduction", 50.0, "%")),
        ("BudgetMem achieves remarkable results on long documents: only 1.0% F1 score degradation while saving 72.4% "
         "memory compared to baseline RAG.", ("reduction", 72.4, "%")),
        ("our contextual Transformer is able to reduce 13.04% of classification errors compared to a non-contextual "
         "model.", ("improvement", 13.04, "%")),
        # not savings: a measured share, an attack's setting, the target of a cut, a data setting
        ("four benchmarks which appear only once in the training data and constitute less than 0.001% of the total "
         "tokens.", ("scale", 0.001, "%")),
        ("VisualTrap can effectively hijack visual grounding with as little as 5% poisoned data.", ("scale", 5.0, "%")),
        ("VPP excels the high-sparsity regime, sustaining remarkable performance even when patch usage is reduced "
         "below 55%.", ("score", 55.0, "%")),
        ("our method consistently outperforms strong semi-supervised baselines under 1\\%, 5\\%, and 10\\% labeled "
         "data settings.", ("scale", 10.0, "%")),
    ],
)
def test_shares_of_a_resource_under_a_bound_or_after_a_cut_verb(text, expected):
    assert expected in facts(text)


def test_a_share_in_a_resource_is_no_share_of_it():
    assert facts("These gains are achieved with a 45\\% smaller model size and an average reduction of 40\\% in input "
                 "tokens.") == {("reduction", 45.0, "%"), ("reduction", 40.0, "%")}
    assert facts("we train with 10% of the data") == {("scale", 10.0, "%")}
