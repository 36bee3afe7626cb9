"""Whose number it is (pipeline/claims/role.py): result, baseline or context, with real sentences
from the dev sets (whose gold roles these are) and the corpora."""

from __future__ import annotations

import pytest

from pipeline.claims import claims_in_text
from pipeline.claims.role import ROLES


def roles(text: str) -> dict[float, str | None]:
    return {c.value: c.role for c in claims_in_text(text)}


@pytest.mark.parametrize(
    ("text", "value", "role"),
    [
        # the "before" of a before-and-after pair
        ("DD enables one-step generation (6.3times speed-up), with an acceptable increase in FID from 4.19 to 9.96.",
         4.19, "baseline"),
        ("DD enables one-step generation (6.3times speed-up), with an acceptable increase in FID from 4.19 to 9.96.",
         9.96, "result"),
        ("Our algorithm improves one-shot accuracy on ImageNet from 82.2% to 87.8% and from 88% accuracy to 95% "
         "accuracy on Omniglot compared to competing approaches.", 88.0, "baseline"),
        ("We make the surprising discovery that forget-set accuracy can recover from around 50% post-unlearning to "
         "nearly 100% with fine-tuning on just the retain set.", 50.0, "baseline"),
        # a value the paper's is set against
        ("In invoice approval decisions, LLMs achieve up to 92% accuracy, surpassing the 72% ceiling set by "
         "experienced lawyers.", 72.0, "baseline"),
        ("In invoice approval decisions, LLMs achieve up to 92% accuracy, surpassing the 72% ceiling set by "
         "experienced lawyers.", 92.0, "result"),
        ("LLMs dominate line-item classification, with top models reaching F-scores of 81%, compared to just 43% for "
         "the best-performing human group.", 43.0, "baseline"),
        ("selecting prosody-encoding layers from frozen Wav2Vec2 outperforms end-to-end finetuning (Score 0.207 vs. "
         "0.161).", 0.161, "baseline"),
        ("selecting prosody-encoding layers from frozen Wav2Vec2 outperforms end-to-end finetuning (Score 0.207 vs. "
         "0.161).", 0.207, "result"),
        ("reaching 4.34 FID with classifier-free guidance 1.5, significantly outperforming the previous flow-based "
         "model SiT's 9.17 FID.", 9.17, "baseline"),
        ("Computer performs 26 minutes of autonomous work per user session, versus 33 seconds for Search.", 33.0,
         "baseline"),
        # a clause whose subject is another system
        ("In both cases, baseline methods completely fail with FID>100.", 100.0, "baseline"),
        ("In contrast, a state-of-the-art feature squeezing technique can only achieve 55% accuracy with 23.3% "
         "false positives.", 23.3, "baseline"),
        ("Speed comparisons are even more striking - while lawyers take 194 to 316 seconds per invoice, LLMs are "
         "capable of completing reviews in as fast as 3.6 seconds.", 316.0, "baseline"),
        ("Speed comparisons are even more striking - while lawyers take 194 to 316 seconds per invoice, LLMs are "
         "capable of completing reviews in as fast as 3.6 seconds.", 3.6, "result"),
        # a change over a compared system is the paper's own
        ("our MetaLadder largely outperforms standard CoT-based methods (\\textbf{10.3\\%} accuracy gain)", 10.3,
         "result"),
        # thresholds and definitions
        ("five of eight clusters have at least 0.95 purity against InteraSkill Workflows labels.", 0.95, "context"),
        ("whereas a partial discrimination (80% of the maximum information transmission) is possible as rapidly as "
         "15 ms.", 80.0, "context"),
    ],
)
def test_roles(text, value, role):
    assert role in ROLES
    assert roles(text)[value] == role


def test_background_before_the_paper_speaks_is_context():
    text = ("Smart home lighting systems consume 15-20% of residential energy but lack adaptive intelligence to "
            "optimize for user comfort and energy efficiency simultaneously. We present BitRL-Light, a novel "
            "framework. Experimental results demonstrate 32% energy savings compared to rule-based systems.")
    assert roles(text) == {20.0: "context", 32.0: "result"}
    spacing = ("When individuals learn facts over multiple study sessions, the temporal spacing of study has a "
               "significant impact on memory retention. Appropriate spacing of study can double retention on "
               "educationally relevant time scales. We introduce a Multiscale Context Model (MCM).")
    assert roles(spacing) == {2.0: "context"}


def test_scale_facts_have_no_role_and_own_results_stay_results():
    text = ("Experimental results show that our technique can achieve 94% detection accuracy for 7 different kinds of "
            "attacks with 9.91% false positives on benign inputs.")
    assert roles(text) == {94.0: "result", 7.0: None, 9.91: "result"}
    # "outperforms existing methods" names the baseline as an object, not as the subject
    assert set(roles("Our method outperforms existing methods by 5.2% on ImageNet.").values()) == {"result"}


@pytest.mark.parametrize(
    ("text", "value", "role"),
    [
        # a value in parentheses after a system the paper's is compared with
        ("This is a 6.7% improvement over the state-of-the-art method, NEFTune (64.69%).", 64.69, "baseline"),
        ("VGS-ATD achieved an overall accuracy of 92.7%, outperforming centralized learning (84.9%) and swarm "
         "learning (72.99%), while federated learning failed.", 72.99, "baseline"),
        ("our Qwen-Image+M3 surpassing commercial flagship systems including Imagen4 (0.515) and Seedream 3.0 "
         "(0.530), reaching state-of-the-art performance (0.532 overall).", 0.53, "baseline"),
        ("our Qwen-Image+M3 surpassing commercial flagship systems including Imagen4 (0.515) and Seedream 3.0 "
         "(0.530), reaching state-of-the-art performance (0.532 overall).", 0.532, "result"),
        # the first of a pair set against each other is the paper's, a value in a chain after "vs." is not
        ("RLVER-PPO-Think substantially outperforms the same-scale untuned baseline (0.963 vs. 0.761, p<0.001).",
         0.963, "result"),
        ("RLVER-PPO-Think substantially outperforms the same-scale untuned baseline (0.963 vs. 0.761, p<0.001).",
         0.761, "baseline"),
        ("finds NPU answer quality on par with CPU and GPU within evaluator noise (mean 9.32 vs. 8.95 vs. 9.03 on a "
         "1-10 rubric).", 8.95, "baseline"),
        # a bare value after "vs." and the other system's name is that system's score of the same metric
        ("Domain-specific models significantly outperformed general models (Mental-RoBERTa F1=0.643 vs. "
         "RoBERTa-base 0.485).", 0.485, "baseline"),
        ("The trade-off is clinically acceptable: Portuguese reaches R@5 = 0.829 vs. BioBERT-ST's 0.714.", 0.714,
         "baseline"),
        ("SFT+(LaF-GRPO) METEOR 0.542 vs. GPT-4o's 0.323) and yields more intuitive, safer instructions.", 0.542,
         "result"),
        # a value in parentheses after a system the paper's falls behind (corpus sentences)
        ("The results show that DistilBERT achieved an accuracy of 94.8%, slightly below BERT (95.3%) but "
         "significantly higher than SVM (90.2%).", 95.3, "baseline"),
        ("Our baseline models perform poorly on this task (55.4%) and significantly lag behind human performance "
         "(93.5%).", 93.5, "baseline"),
        ("The best model, GPT-OSS 120B, achieves a solve rate of 16.0%, 82 points below the human baseline (98.0%).",
         98.0, "baseline"),
        ("The Qwen QLoRA generative configuration trails encoder baselines by approximately 11 F1 points (0.6157 +/- "
         "0.0113).", 0.6157, "result"),
        # a unit word inside the parentheses
        ("our method achieves 2.96 gFID with 128 tokens, outperforming VAR (3.3 FID) and FlexVAR (3.05 FID), which "
         "both require 680 tokens in their AR models.", 3.05, "baseline"),
        # "over" a count is no comparison
        ("it obtains the best averaged F-score over 11 languages (0.6653) and even the best score.", 0.6653, "result"),
        # a human evaluation is no human baseline
        ("Human evaluation with 9 experienced writers confirm that WQRM-based selection produces writing samples "
         "preferred by experts 66% overall.", 66.0, "result"),
    ],
)
def test_values_after_compared_systems(text, value, role):
    assert roles(text)[value] == role


def test_a_value_restated_as_the_first_of_a_pair_is_a_repeat():
    text = ("Specifically, our model achieves 36.4% APs on COCO for SOD with only 45M parameters, outperforming the DINO "
            "by +4.4% APS (36.4% vs. 32.0%) with fewer parameters and FLOPs.")
    scores = [(c.value, c.role) for c in claims_in_text(text) if c.kind == "score"]
    assert scores == [(36.4, "result"), (32.0, "baseline")]


def test_a_clause_after_that_may_be_about_a_baseline():
    text = ("Experiments on three real-world Taiwanese criminal homicide cases show that baseline methods collapse below "
            "40% completeness, while Soft-FSM consistently achieves over 97% with near-zero redundancy.")
    assert roles(text) == {40.0: "baseline", 97.0: "result"}


@pytest.mark.parametrize(("text", "value", "role"), [
    ("Our model reaches 81.2% accuracy, higher than GPT-4's 75.3%.", 75.3, "baseline"),
    ("Our method improves accuracy to 85.1% from 80.2%.", 80.2, "baseline"),
    ("Our method improves accuracy to 85.1% from 80.2%.", 85.1, "result"),
    ("It achieves an F1 of 0.91, against 0.85 for BERT.", 0.85, "baseline"),
    ("Our model is 1000 times faster than LIBSVM and reaches more than 75% accuracy.", 75.0, "result"),
])
def test_compared_values_written_other_ways(text, value, role):
    assert roles(text)[value] == role
