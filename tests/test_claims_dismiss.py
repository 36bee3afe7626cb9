"""Numbers that are no claim, each with its named reason (pipeline/claims/dismiss.py), pinned with
real sentences from the corpora and the dev sets; and the negative cases of the old suite."""

from __future__ import annotations

import pytest
from claims_helpers import facts, reasons

from pipeline.claims import REASONS, claims_in_text


@pytest.mark.parametrize(
    ("text", "number", "reason"),
    [
        ("state-of-the-art large language models such as GPT-4 and Llama 3 are strong baselines", "4", "name"),
        ("state-of-the-art large language models such as GPT-4 and Llama 3 are strong baselines", "3", "name"),
        ("Hunyuan3D 2.5 follows two-stages pipeline of its previous version Hunyuan3D 2.0.", "2.5", "name"),
        ("Winograd’s minimal filtering algorithm (Lavin, 2015) and network pruning (Han et al., 2015) can reduce "
         "the operation count, but these two methods cannot be straightforwardly combined.", "2015", "year"),
        ("a decade-long (2014-2024) nationwide mapping of forest canopy height", "2014-2024", "year"),
        ("The most robust known method so far is the so called C&W attack [1].", "1", "citation"),
        ("Generative QA often suffers from two critical problems: (1) summarizing content irrelevant to a given "
         "question, (2) drifting away from a correct answer during generation.", "2", "enumerator"),
        ("Generative QA often suffers from two critical problems: (1) summarizing content irrelevant to a given "
         "question, (2) drifting away from a correct answer during generation.", "two", "method parts"),
        ("We use two co-evolving neural networks to determine new classes of protein secondary structure.", "two",
         "method parts"),
        ("this framework consists of three key modules: a retriever, a reranker and a reader", "three", "method parts"),
        ("Our dataset and generation code is available at https://github.com/shh1574/multi-modal-dialogue-dataset.",
         "1574", "url"),
        ("which are significantly more pre(cid:173) dictable from local amino sequence", "173", "noise"),
        ("Extensive experiments on the two datasets show that the proposed model brings substantial improvements.",
         "two datasets", "repeat"),
        ("DRN demonstrates strong zero-shot generalization", "zero", "descriptor"),
        ("We then present our double Nyström method that reduces the size of the decomposition", "double",
         "descriptor"),
        ("seven classical machine learning models with 10-fold cross-validation", "10-fold", "descriptor"),
        ("The best performing one is selected using the evaluation set.", "one", "idiom"),
        ("a quadratic model with a cubic regularizer for the twice differentiable term", "twice", "formula"),
        ("the optimal sample size decreases at the rate of 1/M.", "1", "formula"),
        ("we achieve O(L log L) complexity with k=5 heads", "5 heads", "formula"),
        ("probabilities ranging from 0 to 1", "0", "formula"),
        ("reaches peak correlation (r > 0.6) at checkpoint 104, then degrades by checkpoint 105.", "104", "reference"),
        ("the win probabilities of white described in Section 3", "3", "reference"),
        ("Although trust region method is about 3 times slower than SGD in terms of running time, it generalizes.",
         "3 times", "worse"),
    ],
)
def test_named_reasons(text, number, reason):
    assert reason in REASONS
    assert reasons(text)[number] == reason


def test_vague_amounts_in_background_are_dismissed_but_sized_data_is_a_fact():
    background = ("Large language models generate one token at a time. A typical inference request can require more "
                  "than thousands of tokens, making inference slow. We propose a parallel decoder.")
    assert reasons(background)["thousands"] == "vague"
    own = ("Existing steering methods use few prompts. We show that scaling HyperSteer with thousands of steering "
           "prompts exceeds the performance of state-of-the-art methods.")
    assert ("scale", 1.0, "k") in facts(own)


def test_questions_are_not_claims():
    text = "can a pre-trained AR model be adapted to generate outputs in just one or two steps?"
    assert claims_in_text(text) == [] and set(reasons(text).values()) == {"question"}


@pytest.mark.parametrize(
    "text",
    [
        "When evaluating on GenEval, NAR with 0.8B parameters outperforms Chameleon-7B.",
        "We present ARMOR v0.1, which extends MLLMs from three perspectives.",
        "an approach that addresses these limitations through two intertwined innovations",
        "comparable image quality to DiT Peebles & Xie [2023]",
        "In 2023, Section 3 and Fig. 2 show the 3D results of (1) the encoder and (2) the decoder.",
        "a 3x3 convolution on 10x10 boards",
        "Experimental results on FewRel 1.0 and 2.0 datasets demonstrate the effectiveness of our method.",
        "Mamba, with double attention blocks, outperforms Mistral 7B and Llama-2 7B.",
    ],
)
def test_names_years_citations_and_counts_of_ideas_are_not_claims(text):
    numbers = {c.value for c in claims_in_text(text)}
    assert not numbers - {0.8}, claims_in_text(text)  # only the real size in the first sentence


def test_a_size_glued_to_a_noun_is_kept():
    assert ("scale", 12.0, "M") in facts("a compact 12M-parameter model surpasses a static 96M model by 9.9 dB")
    assert ("scale", 1.5, "B") in facts("our 1.5B model outperforms the 8B baseline")


@pytest.mark.parametrize(
    ("text", "number", "reason"),
    [
        ("the adversarial training confers robustness to single-step attack methods.", "single-step", "descriptor"),
        ("current end-to-end coreference resolution models combine detection of singleton mentions and antecedent "
         "linking into a single step.", "single step", "descriptor"),
        ("Third, we apply the rigorous quality control process used to ensure data integrity.", "Third", "enumerator"),
        ("We demonstrate that 1) adapter-based tuning outperforms fine-tuning on low-resource tasks; 2) it is more "
         "robust to overfitting.", "1", "enumerator"),
        ("Experiments on three language directions of the ACL 60/60 dev set show that RASST improves accuracy.", "60",
         "name"),
        ("achieving a regret bound instead of the standard $O((U^2 +1) \\sqrt{T})$, achievable without knowing U.",
         "+1", "formula"),
        ("powered by well-known algorithms such as the familiar 5-point or 8-point algorithm.", "5", "name"),
    ],
)
def test_named_reasons_of_held_out_abstracts(text, number, reason):
    assert reasons(text)[number] == reason


def test_cuts_into_one_step_grouped_digits_and_glued_by_are_claims():
    assert ("reduction", 1.0, "steps") in facts(
        "Simultaneously, it condenses the iterative sampling process of the diffusion model into a single step.")
    assert ("scale", 2000.0, "") in facts("semi-supervised learning with 2,000 unlabeled volumes and consistency "
                                          "regularization achieves 56.2 mAP.")
    assert ("improvement", 5.67, "%") in facts("MedicalBERT surpasses the general-purpose BERT model by5.67% on "
                                               "average across all the tasks evaluated.")
    assert ("scale", 10.0, "") in facts("Built upon OVRSIS95K and 10 downstream datasets, OVRSISBenchV2 contains "
                                        "170K images.")


@pytest.mark.parametrize(
    ("text", "number", "reason"),
    [
        ("first, we identify the target object(s); second, we compute an object relevance map; third, we propose and "
         "rank relevant image regions.", "third", "enumerator"),
        ("In line with such an evolution, AgentScope introduces major improvements in a new version (1.0), towards "
         "supporting flexible tool-based interactions.", "1.0", "name"),
        ("These additions leverage version 1.4 of CorefUD, a harmonized multilingual collection.", "1.4", "name"),
    ],
)
def test_ordinals_and_versions(text, number, reason):
    assert reasons(text)[number] == reason


def test_hyperparameters_are_settings_not_scores_or_formulas():
    text = ("The training utilized Adam optimization (lr=1e-4), dropout (0.3), and early stopping to ensure "
            "generalization and robustness.")
    assert facts(text) == {("scale", 1e-4, ""), ("scale", 0.3, "")}
    assert facts("GPT-4o and GPT-4.1 answered each question 15 times using a temperature of 1.0.") >= {
        ("scale", 1.0, "")}
