"""Finding numbers (pipeline/claims/numbers.py and text.py): digits, number words, fractions, LaTeX,
ranges, scientific notation, currency; every real sentence is from the corpora or the dev sets."""

from __future__ import annotations

import pytest
from claims_helpers import facts, only

from pipeline.claims import claims_in_text
from pipeline.claims.numbers import quantities, word_value
from pipeline.claims.text import clean, sentences

ECAR = (
    "Experimental results demonstrate that ECAR achieves comparable image quality to DiT Peebles & Xie [2023] "
    "while requiring 10times FLOPs reduction and 5times speedup to generate a 256times256 image."
)


@pytest.mark.parametrize(
    ("scraped", "latex"),
    [
        (ECAR, "while requiring $10\\times$ FLOPs reduction and $5\\times$ speedup to generate a $256\\times256$ "
               "image."),
        ("SELP achieves 20.4% improvement in safety rate.", "SELP achieves $20.4\\%$ improvement in safety rate."),
        ("it can introduce a 7x-9x speedup for the Transformer",
         "it can introduce a $7\\times$--$9\\times$ speedup for the Transformer"),
        ("up to 2.38x throughput improvement", "up to \\textbf{2.38$\\times$} throughput improvement"),
        ("VAR achieves around 20x faster inference speed", "VAR achieves $\\sim$20$\\times$ faster inference speed"),
        ("CoDe achieves a 1.7x speedup, slashes memory usage by around 50%",
         "CoDe achieves a $\\mathbf{1.7\\times}$ speedup, slashes memory usage by around $50\\%$"),
    ],
)
def test_latex_and_scraped_forms_agree(scraped, latex):
    assert facts(latex) <= facts(scraped) and facts(latex)
    for claim in claims_in_text(latex):
        assert latex[claim.start:claim.end] == claim.text


def test_cleaning_maps_every_offset_back():
    raw = "We get $3\\times$ speedup and \\textbf{30\\%} less memory, an AUC of \\(0.91\\)."
    cleaned = clean(raw)
    assert cleaned.text == "We get 3x speedup and 30% less memory, an AUC of 0.91."
    start = cleaned.text.index("30%")
    assert raw[cleaned.raw_start(start):cleaned.raw_end(start + 3)] == "30\\%"


def test_inline_math_and_hard_line_wraps():
    # arXiv 2024 abstracts: inline math \( \), and a newline right before the number
    assert ("score", 0.91, "") in facts("Our detector reaches an AUC of \\(0.91\\) on the held-out hospital.")
    wrapped = ("Our results demonstrate a significant improvement in tissue\nsegmentation, achieving a Dice score of "
               "0.750, surpassing the baseline score of\n0.629.")
    assert {(c.value, c.role) for c in claims_in_text(wrapped)} == {(0.75, "result"), (0.629, "baseline")}


@pytest.mark.parametrize(
    ("words", "value"),
    [("eight hundred", 800), ("two thousand", 2000), ("twenty-five", 25), ("a dozen", 12), ("one hundred and twenty", 120)],
)
def test_number_words_compose(words, value):
    assert word_value(words) == value


def test_number_words_with_units_and_magnitudes():
    text = ("We scale Deep Voice 3 to dataset sizes unprecedented for TTS, training on more than eight hundred hours "
            "of audio from over two thousand speakers.")
    assert facts(text) == {("scale", 800.0, "hours"), ("scale", 2000.0, "")}
    rate = only("We also describe how to scale inference to ten million queries per day on a single GPU server.",
                "score")
    assert (rate.value, rate.unit) == (10.0, "M queries/day")
    assert ("speedup", 1e7, "x") in facts("our implementation turns out to be about ten million times faster than a "
                                          "recently proposed, constraint satisfaction based algorithm")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # arXiv: "at one-eighth the parameters" is the fraction as stated (dev2 n=131), not 8x
        ("a compact 12M-parameter model surpasses a static 96M model by 9.9 dB at one-eighth the parameters.",
         ("reduction", 0.125, "x")),
        ("Phi-mini-MoE matches or exceeds the performance of Phi-3-mini while using only two-thirds of the activated "
         "parameters", ("reduction", 2 / 3, "x")),
        ("outperforming the previous best method by 2.5% mAP with only 1/3 FLOPs", ("reduction", 1 / 3, "x")),
        ("NAR achieves comparable quality with merely 0.4 of the training data", ("reduction", 0.4, "x")),
    ],
)
def test_fractions(text, expected):
    kind, value, unit = expected
    assert any(c.kind == kind and c.unit == unit and abs(c.value - value) < 1e-9 for c in claims_in_text(text))


def test_scientific_notation_powers_and_between():
    # conference (explanation speed): "between 5 and 7.5×10ˆ4 times faster" is one range
    claim = only("our method is between 5 and 7.5×10ˆ4 times faster than existing explainers", "speedup")
    assert (claim.value, claim.range_low) == (75000.0, 5.0)
    assert ("scale", 1e64, "") in facts("We evaluate on games with $10^{64}$ strategies.")


def test_ranges_signed_deltas_and_parentheses():
    # arXiv (Anny-Fit): signed ranges of gains; a drop in an error keeps a positive value
    text = ("Anny-Fit consistently improves 2D reprojection accuracy (+13 to 16), relative depth ordering (+6 to 7), "
            "3D estimation error (-9 to -29) and shape estimation (+25 to +82), producing more coherent scenes.")
    assert [(c.kind, c.value, c.range_low) for c in claims_in_text(text)] == [
        ("improvement", 16.0, 13.0), ("improvement", 7.0, 6.0), ("improvement", 29.0, 9.0), ("improvement", 82.0, 25.0),
    ]
    near = only("the FCNN predictions and ground truth have a linear correlation coefficient near -0.998", "score")
    assert near.value == -0.998  # a stated negative value, not a drop


def test_range_keeps_both_ends_and_up_to_keeps_the_value():
    skip = only("SkipDecode can obtain 2x to 5x inference speedups with negligible regression", "speedup")
    assert (skip.value, skip.range_low, skip.metric) == (5.0, 2.0, "inference speed")
    residue = only("our method achieves it 3-it 10 times faster inference speed compared to previous sequence "
                   "modeling methods", "speedup")
    assert (residue.value, residue.range_low) == (10.0, 3.0)
    beta = only("the post-processing salience threshold $β$ varies from 0.05 to 0.43 across folds", "score")
    assert (beta.value, beta.range_low) == (0.43, 0.05)  # "varies from A to B" is a range, not a change


def test_currency_is_kept_apart_from_latex_math():
    raw = ("AI slashes review expenses by 99.97%, reducing invoice processing costs from an average of $4.27\n"
           "per invoice for human invoice reviewers to mere cents.")
    cost = [c for c in claims_in_text(raw) if c.unit == "USD"]
    assert [(c.value, c.role) for c in cost] == [(4.27, "baseline")]
    assert not any(c.unit == "USD" for c in claims_in_text("datasets ($\\sim$21M samples) and $2$ GPUs"))


@pytest.mark.parametrize(("raw", "cleaned"), [
    # money: a plain amount after a "$" that opens no math (real corpus sentences)
    ("costs from an average of $4.27 per invoice", "costs from an average of $4.27 per invoice"),
    ("ng the total training expenditure under $1,000 USD.", "ng the total training expenditure under $1,000 USD."),
    ("roughly 300K onchain actions, about $20M in volume", "roughly 300K onchain actions, about $20M in volume"),
    ("at approximately $15 on-demand compute (or $0 on free tiers).",
     "at approximately $15 on-demand compute (or $0 on free tiers)."),
    ("costs under \\$1 USD, while $x^2$ grows", "costs under \\1 USD, while x^2 grows"),  # an escaped "$" pairs with nothing
    # math: what the text up to the next "$" holds, or that next "$" closing it
    ("boosting PSNR by up to $28 \\%$, SSIM by $10 \\%$, and", "boosting PSNR by up to 28 %, SSIM by 10 %, and"),
    ("a key space of $10^{64}$ with $10$ rounds", "a key space of 10^64 with 10 rounds"),
    ("a dataset comprised of $2,017$ videos with $5,986$ dialogues", "a dataset comprised of 2,017 videos with 5,986 dialogues"),
    ("distortion strictly of $3 - Ω(1)$. In particular", "distortion strictly of 3 - Ω(1). In particular"),
    ("the ImageNet-1K $256 \\times 256$ benchmark", "the ImageNet-1K 256x 256 benchmark"),
    # a code point by number is that character
    ("indoor scenes$\\unicode{x2013}$synthetic and real", "indoor scenes–synthetic and real"),
    ("a gain of $\\unicode{x2212}$3 and \\unicode{8211}", "a gain of -3 and –"),
])
def test_dollar_is_money_only_outside_math(raw, cleaned):
    assert clean(raw).text == cleaned


def test_sentences_do_not_break_on_abbreviations_or_decimals():
    real = [
        "For domain adaption, ARRA aligns general-purpose LLMs with specialized models (e.g., BioMedCLIP), achieving "
        "an 18.6% FID reduction over direct fine-tuning on medical imaging (MIMIC-CXR).",
        "We identify the growing complexity of latent space as the key factor behind the reconstruction vs. generation "
        "dilemma.",
        "As a solution, Vaswani et al. introduced the Transformer.",
        "Results in Fig. 2 show it.",  # no figure reference in the corpus: this one is made up
        "DD doesn't need the training data of the original AR model, making it more practical.",
        "We evaluate DD on state-of-the-art image AR models.",
    ]
    text = " ".join(real[:-1]) + real[-1]  # the scraper's "practical.We" has no space
    assert [text[s:e] for s, e in sentences(text)] == real


def test_every_number_is_found_once():
    text = "Over 2M triples in 10-turn dialogues, from 82.2% to 87.8%, twice as fast, half the memory."
    found = [text[q.start:q.end] for q in quantities(text, 0, len(text))]
    assert found == ["2M", "10", "82.2%", "87.8%", "twice", "half"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a slight saving of power consumption of around 300 mW has been achieved", ("reduction", 300.0, "mW")),
        ("the BKD combustor operates at 100 MW", ("scale", 100.0, "MW")),
        ("The networks forecast the instability 500 milliseconds in advance.", ("score", 500.0, "ms")),
        ("PointRAFT achieved a mean absolute error of 12.0 g on 5,254 point clouds.", ("score", 12.0, "g")),
        # PDF extraction doubles spaces
        ("In  our experiments,  we  have  been  able  to  achieve an  accuracy  of  1.5  degrees.",
         ("score", 1.5, "°")),
        # a range in points is not swallowed by the unit reader
        ("The text-vs-squares F1 gap ranges from 34 to 54 points across models.", ("improvement", 54.0, "pp")),
        ("Our model achieves a 10-point gain over GPT-4.", ("improvement", 10.0, "pp")),
    ],
)
def test_units_spaces_and_points(text, expected):
    assert expected in facts(text)


def test_a_range_in_points_keeps_its_low_end():
    claim = only("The text-vs-squares F1 gap ranges from 34 to 54 points across models.", "improvement")
    assert (claim.value, claim.range_low) == (54.0, 34.0)


def test_a_spaced_times_sign_before_a_comparative_is_a_factor():
    assert facts("and matches the best-performing baseline, ZoomEye, while requiring 3 - 6.5 x less compute.") == {
        ("reduction", 6.5, "x")}
    assert ("speedup", 98.0, "x") in facts("where FMLGS is 98 x faster than LERF, 4 x faster than LangSplat.")
    assert facts("we use 3 x 3 convolutions on 256 x 256 images") == {("scale", 256.0, "px")}


def test_scientific_notation_and_lost_thin_spaces():
    text = "Quantitative Grad-CAM analysis (rho = -0.30, p < 1e-22) shows that predictions correspond to pathology."
    assert ("score", 1e-22, "") in facts(text)
    text = ("our total human time to generate a 10,000-image dataset was 30.5,h versus 166.7,h for manual labelling "
            "at 60,s per image (-81.7%). A manual pilot took 60,s (maximum 80,s).")
    assert {("score", 80.0, "s"), ("score", 30.5, "h")} <= facts(text)  # hours set against hours: measured
    assert ("scale", 2.0, "M") in facts("We present CFRNet, a 2.0,M-parameter ResNet-style restorer for on-device use.")
    # a list in a formula keeps its commas
    assert facts("For $(M,N,T,K)=(2,N,2,K)$ and a GRS coded system, the bound is tight.") == set()


@pytest.mark.parametrize(("text", "value", "low"), [
    # corpus sentences: a count of orders in digits, a range of counts, hyphens
    ("In empirical evaluations we show that it attains 1-2 order-of-magnitude speedup in training time over other "
     "competing approaches.", 100.0, 10.0),
    ("a proposal-free space-curve transformer that runs at 0.14 seconds per scene, 2-3 orders of magnitude faster "
     "than multi-stage 2D+3D pipelines.", 1000.0, 100.0),
    ("solves optimizations with over 55 million observations up to 2 orders of magnitude faster than "
     "state-of-the-art gradient-descent based methods.", 100.0, None),
    ("EM is often an order-of-magnitude faster than MPLP.", 10.0, None),
])
def test_orders_of_magnitude_counted_in_digits_or_hyphenated(text, value, low):
    speedups = [(c.value, c.range_low) for c in claims_in_text(text) if c.kind == "speedup"]
    assert speedups == [(value, low)]
    assert not any(c.kind == "scale" and c.value in (2.0, 3.0) for c in claims_in_text(text))
