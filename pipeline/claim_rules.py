"""Vocabularies for the claims extractor: numbers in words, units, cue words and metric names.

Kept apart from the matching logic in :mod:`pipeline.claims` so that widening the extractor to a new
field is a matter of adding words here, not of touching the rules. Every table is plain data; the
compiled patterns at the bottom are built once at import.
"""

from __future__ import annotations

import re

# --- numbers written as words -------------------------------------------------------------------

NUMBER_WORDS: dict[str, float] = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "thousand": 1000, "a thousand": 1000, "a dozen": 12,
}
"""'one' is left out on purpose: "one token at a time", "one of the" are far more common than a claim."""

ORDER_WORDS: dict[str, float] = {"an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
"""Counts of orders of magnitude: "two orders of magnitude" -> 10**2."""

PLURAL_MULTIPLES: dict[str, float] = {"tens": 10, "dozens": 12, "hundreds": 100, "thousands": 1000}
"""Vague multiples read as their lower bound: "hundreds of times fewer faces" -> 100x."""

VERB_FACTORS: dict[str, tuple[float, str]] = {
    "halv": (2.0, "reduction"),
    "doubl": (2.0, ""),
    "tripl": (3.0, ""),
}
"""Verbs that state a factor: "halves the latency" is a 2x reduction; a doubling takes its kind from context."""

MIN_RESOLUTION = 32
"""NxN is an image resolution from this size up, or when "resolution"/"pixels" follows; "3x3
convolutions" and "10x10 boards" are shapes, not claims."""

MAGNITUDES: dict[str, str] = {
    "k": "k", "K": "k", "thousand": "k", "M": "M", "million": "M", "B": "B", "billion": "B",
    "T": "T", "trillion": "T",
}
MAGNITUDE_SCALE: dict[str, float] = {"k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}

# --- units ---------------------------------------------------------------------------------------

UNIT_NOUNS: dict[str, str] = {
    r"(?:[AHV]100 )?GPU[- ]hours?": "GPU hours",
    r"(?:[AHV]100 )?GPU[- ]days?": "GPU-days",
    r"tokens?/s|tokens? per second": "tokens/s",
    r"images?/s|images? per second": "images/s",
    r"frames?/s|frames? per second|fps|FPS": "frames/s",
    r"samples?/s|samples? per second": "samples/s",
    r"tokens?": "tokens",
    r"(?:sampling |denoising |decoding |inference |generation )?steps?": "steps",
    r"layers?": "layers",
    r"bits?": "bit",
    r"hours?": "hours",
    r"days?": "days",
    r"weeks?": "weeks",
    r"minutes?|mins?": "min",
    r"epochs?": "epochs",
    r"(?:GPU|TPU|[AHV]100|A6000|H200|B200)s?": "GPUs",
}
"""Nouns counted in their own unit ("256 tokens", "4 H100s", "72 A100 GPU hours"); compounds first,
since the first alternative that matches wins."""

SYMBOL_UNITS: dict[str, str] = {
    "px": "px", "pixels": "px", "ms": "ms", "s": "s", "sec": "s", "seconds": "s", "kHz": "kHz",
    "Hz": "Hz", "KB": "KB", "MB": "MB", "GB": "GB", "TB": "TB", "W": "W", "mJ": "mJ", "J": "J",
    "μJ": "μJ", "nJ": "nJ", "μs": "μs", "ns": "ns", "kWh": "kWh", "mins": "min", "min": "min",
}
"""Unit symbols written right after the number ("170 ms", "1MB", "24 kHz")."""

UNIT_METRICS: dict[str, str] = {
    "tokens": "tokens", "steps": "steps", "layers": "layers", "GPUs": "GPUs", "bit": "precision",
    "ms": "latency", "s": "latency", "GPU hours": "compute", "GPU-days": "compute", "epochs": "training steps",
}
"""The metric a size in a unit measures when no metric is named next to it."""

RATE_UNITS = frozenset({"tokens/s", "images/s", "frames/s", "samples/s", "ms", "s", "μs", "ns"})
"""Units that measure how fast a system runs: a stated value is a result (score), not a size.
Any unit "per" something ("121 μJ per image") is a rate too."""

PER_NOUNS = r"image|sample|token|query|second|step|frame|example|sequence|request|instance|iteration"

COMPOUND_UNITS: dict[str, str] = {"bit": "bit", "layer": "layers", "step": "steps", "token": "tokens"}
"""Hyphenated sizes: "4-bit", "6-layer", "10-step"; any other "N-word" ("2-D", "1-shot") is a name."""

COUNT_NOUNS = (
    r"datasets?|benchmarks?|tasks?|subtasks?|languages?|language pairs?|models?|LLMs?|[A-Z]{2,}Ms|"
    r"architectures?|domains?|metrics?|applications?|references?|environments?|games?|"
    r"modalities|problem settings?|settings|forward pass(?:es)?|forward operations?|baselines?|"
    r"corpora|programming languages|websites|GPU kernels|data ?sets|test sets|benchmark sets"
)
"""Things an evaluation is counted in ("38 datasets", "ten LLMs"); counts of ideas are not facts."""

ITEM_NOUNS = (
    r"classes|categories|images|videos|documents|questions|queries|problems|samples|examples|"
    r"sentences|utterances|dialogues|conversations|speakers|subjects|participants|annotators|users|"
    r"scenes|objects|molecules|proteins|nodes|edges|graphs|prompts|instructions|pairs|features"
)
MIN_ITEM_COUNT = 100
"""Data items are a size fact only in bulk ("21,000 classes", "300 problems"); "two images" is not."""

SCALE_PERCENT_NOUNS = r"(?:of )?(?:the )?(?:\w+[- ]){0,2}(?:data|budgets?|layers|tokens|samples|examples|labels)"
"""A share of something the method uses ("10% of the data", "35% KV cache budgets") is a size."""

# --- cue words that decide the kind ------------------------------------------------------------

SPEED_CUE = (
    r"faster|quicker|speed-?ups?|speed(?:s|ing)? up|speed|accelerat\w*|throughput|"
    r"tokens? per second|wall-?clock"
)
REDUCE_CUE = (
    r"fewer|less|smaller|lower|shorter|reduc\w*|cut(?:s|ting)?|compress\w*|sav(?:e|es|ing|ings)|"
    r"decreas\w*|cheaper|shrink\w*|slash\w*|lighter|skip(?:s|ping)?|prun\w*|drops?|eliminat\w*"
)
IMPROVE_CUE = (
    r"better|improv\w*|gains?|higher|greater|more|increas\w*|boost\w*|outperform\w*|"
    r"surpass\w*|exceed\w*|enhanc\w*|efficien\w*|beat(?:s|ing)?|superior|stronger|advantage"
)
SCALE_CUE = r"larger|bigger|longer|wider|deeper"
WORSE_CUE = r"worse|slower|degrad\w*|declin\w*|lags?|lagging|behind|hurts?|costlier|sacrific\w*|loss|los(?:e|es|ing)"
"""A change for the worse is reported, not claimed: it yields no claim."""

PERCENT_CUT_LEFT = r"\b(?:skip(?:s|ping)?|prun\w*|remov\w*|drop(?:s|ping)?|discard\w*)\s+(?:\w+\s+)?$"
PERCENT_ONLY_LEFT = r"\b(?:only|just|merely|mere)\s+(?:\w+\s+)?$"
"""Words just before a share that make it a saving: a cut ("skip 25-30% of FFN blocks"), or "only"
before a share of a resource ("only 10% of the data"; "only 30% of papers" is no saving)."""

TO_REDUCED = r"\b(?:to|into)\s+(?:just |only |merely |as few as |as little as |a )?$"
"""The target of a cut ("reduces ... to merely 88 GPU-days"); with a reduce verb this is a reduction."""

BY_AMOUNT = (
    r"\bby\s+(?:an average of |a margin of |a large margin of |up to |around |about |"
    r"approximately |roughly |nearly |over |more than |at least |as much as )?$"
)
"""The amount of a change: "outperforms X by 0.4", "improving accuracy by up to 5"."""

# --- metrics -------------------------------------------------------------------------------------

METRICS: list[tuple[str, str, bool | None, bool]] = [
    # (pattern, canonical name, higher is better, case-sensitive)
    (r"Fr[eé]chet Inception Distance|FIDs?", "FID", False, True),
    (r"Fr[eé]chet Video Distance|FVDs?", "FVD", False, True),
    (r"[Ii]nception [Ss]cores?|IS", "IS", True, True),
    (r"CLIP[- ]?[Ss]cores?", "CLIP score", True, True),
    (r"GenEval", "GenEval", True, True),
    (r"MME-P|MME", "MME", True, True),
    (r"VBench", "VBench", True, True),
    (r"PSNR", "PSNR", True, True),
    (r"SSIM", "SSIM", True, True),
    (r"LPIPS", "LPIPS", False, True),
    (r"mIoU|IoU", "mIoU", True, True),
    (r"mAP|AP", "mAP", True, True),
    (r"AUROC|AUC|AUPRC", "AUROC", True, True),
    (r"Hits@\d+|MRR|NDCG(?:@\d+)?|MAP@\d+", "ranking metric", True, True),
    (r"BLEU(?:score)?", "BLEU", True, True),
    (r"ROUGE(?:-[12L])?|Rouge-L", "ROUGE", True, True),
    (r"METEOR|chrF|COMET|BERTScore", "MT metric", True, True),
    (r"WER|word error rates?", "WER", False, False),
    (r"CER|character error rates?", "CER", False, False),
    (r"PER", "PER", False, True),
    (r"phoneme error rates?", "PER", False, False),
    (r"EM", "EM", True, True),
    (r"exact[- ]match", "EM", True, False),
    (r"F1(?:[- ]score)?|F-(?:score|measure)|F1-measure", "F1", True, False),
    (r"pass@\d+", "pass@k", True, False),
    (r"(?:top-\d )?accuracy|acc\.", "accuracy", True, False),
    (r"success[- ]rates?|safety[- ]rates?|win[- ]rates?|solve[- ]rates?|pass[- ]rates?", "success rate", True, False),
    (r"recall(?:@\d+)?", "recall", True, False),
    (r"precision(?:@\d+)?", "precision", True, False),
    (r"mean opinion scores?|MOS", "MOS", True, False),
    (r"perplexity|PPL", "perplexity", False, False),
    (r"MSE|MAE|RMSE", "MSE", False, True),
    (r"mean squared error|mean absolute error", "MSE", False, False),
    (r"(?:prediction |test |generalization )?error(?: rates?)?", "error", False, False),
    (r"(?:correlation )?coefficients?|correlation", "correlation", None, False),
    (r"(?:first-token |inference |end-to-end |tail )?latency", "latency", False, False),
    (r"throughput", "throughput", True, False),
    (r"[GT]?FLOPs|MACs|FLOPS", "FLOPs", False, True),
    (r"(?:peak[- ])?(?:GPU )?memory(?: usage| footprint| consumption)?|KV[- ]cache(?: size)?", "memory", False, False),
    (r"(?:trainable |model )?param(?:eter)?s|parameter count", "parameters", False, False),
    (r"(?:computation(?:al)?|inference|training|decoding|generation|sampling|search|wall-?clock|run) ?times?|"
     r"runtime", "time", False, False),
    (r"(?:computation(?:al)?|inference|training) ?(?:cost|overhead)s?|compute|computation", "compute", False, False),
    (r"energy efficiency", "energy efficiency", True, False),
    (r"energy(?: consumption)?", "energy", False, False),
    (r"(?:training )?data(?: demands)?|training samples", "training data", None, False),
    (r"(?:model |file |storage )?size|storage", "size", False, False),
    (r"resolution", "resolution", None, False),
]
"""The normalized vocabulary. At one position the first entry that matches wins, so a longer name
comes before its prefix ("energy efficiency" before "energy")."""

SPEED_STAGES = r"inference|decoding|generation|training|sampling|prefill(?:ing)?|serving|wall[- ]clock|end-to-end"
"""What got faster, to name a speedup's metric ("inference speed") when no other metric is stated."""

# --- what is not a claim -------------------------------------------------------------------------

REFERENCE_WORDS = (
    r"(?i:Section|Sec\.|Fig\.|Figure|Figs\.|Table|Tab\.|Eq\.|Equation|Appendix|Theorem|Lemma|"
    r"Corollary|Proposition|Algorithm|Chapter|Definition|Assumption)|"
    r"Step|Stage|Phase|Part|Level|Version|Task|Track|Round|Example"
)
"""Words whose number is a label ("Fig. 2", "Task 3"); the second group only when capitalized,
since "industrial-level 20,000 hours" or "stage 2 training" read differently in lower case."""

ABBREVIATIONS = frozenset({
    "e.g", "i.e", "vs", "fig", "figs", "eq", "eqs", "sec", "al", "cf", "etc", "approx", "no",
    "tab", "ref", "resp", "w.r.t", "a.k.a", "st", "dr", "mr", "ms", "prof", "inc", "ltd", "viz",
})
"""Words that end in a period without ending the sentence."""

HARDWARE = (
    r"GPUs?|TPUs?|CPUs?|NPUs?|[AHV]100s?|A6000|RTX|NVIDIA|T4|Jetson|TX2|iPhone|Pixel|ARM|Cortex|"
    r"Snapdragon|Xeon|Intel|AMD|Apple|Raspberry"
)
MODEL_FAMILIES = (
    r"GPT|LLaMA|Llama|LLAMA|BERT|RoBERTa|OPT|T5|Mistral|Mixtral|Qwen|Gemma|Vicuna|Claude|Gemini|"
    r"PaLM|Falcon|Phi|DeepSeek|ChatGPT|Transformers?|LSTMs?|CNNs?|RNNs?|ViTs?|DiT|SiT|VAR"
)
"""Names after "on" that are systems, not benchmarks ("16x on LLAMA", "on GPU")."""

ADVERBS = frozenset({
    "more", "less", "up", "about", "around", "nearly", "almost", "significantly", "substantially",
    "greatly", "considerably", "dramatically", "consistently", "further", "slightly", "largely",
    "markedly", "even", "also", "both", "than",
})
"""Words that may follow a comparison word without starting its object ("improves more than 4%")."""
DETERMINERS = frozenset({
    "the", "a", "an", "their", "its", "our", "these", "those", "this", "that", "both", "all",
    "other", "several", "many", "various",
})
BASELINE_STOP = frozenset({
    "by", "in", "on", "at", "for", "while", "with", "when", "which", "that", "across", "respectively",
    "without", "using", "under", "to", "of", "and", "or", "but", "is", "are", "was", "as", "from",
    "achieving", "reaching", "yielding", "via", "through", "where", "whereas", "even", "thanks",
    "during", "requiring", "despite", "per", "it", "we", "they", "within", "than", "over",
    "like", "such", "including", "both",
})
GENERIC_HEADS = frozenset({"model", "models", "approach", "method", "methods", "baseline", "baselines", "system"})


def alternation(patterns: list[str]) -> str:
    """One regex alternation of literal-ish words, longest first, so "a hundred" wins over "hundred"."""
    return "|".join(sorted(patterns, key=len, reverse=True))


def _metric_regex() -> re.Pattern[str]:
    """All metric patterns as named groups m0, m1, ... so a match tells which entry it was."""
    groups = []
    for i, (pattern, _, _, case_sensitive) in enumerate(METRICS):
        scope = "(?:" if case_sensitive else "(?i:"
        groups.append(f"(?P<m{i}>{scope}{pattern}))")
    return re.compile(r"(?<![\w-])(?:" + "|".join(groups) + r")(?![\w])")


METRIC_RE = _metric_regex()
# a cue word never starts a compound: "cutting-edge", "throughput-oriented"
SPEED_RE = re.compile(rf"\b(?:{SPEED_CUE})\b(?!-)", re.I)
REDUCE_RE = re.compile(rf"\b(?:{REDUCE_CUE})\b(?!-)", re.I)
IMPROVE_RE = re.compile(rf"\b(?:{IMPROVE_CUE})\b(?!-)", re.I)
WORSE_RE = re.compile(rf"\b(?:{WORSE_CUE})\b(?!-)", re.I)
SCALE_CUE_RE = re.compile(rf"\b(?:{SCALE_CUE})\b(?!-)", re.I)
STAGE_RE = re.compile(rf"\b(?:{SPEED_STAGES})\b", re.I)
UNIT_NOUN_RES = [(re.compile(rf"(?:{p})\b"), unit) for p, unit in UNIT_NOUNS.items()]
UNIT_NOUN_RE = re.compile(rf"(?:{'|'.join(UNIT_NOUNS)})\b")
COUNT_NOUN_RE = re.compile(rf"(?:{COUNT_NOUNS})\b")
ITEM_NOUN_RE = re.compile(rf"(?:{ITEM_NOUNS})\b")
