"""The vocabulary files (pipeline/claims/vocabulary/*.toml) and their strict schema: a bad entry stops
the import with one line naming the file and the entry, never a silent default."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.claims import vocab as V


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_METRIC = '''
[[metric]]
name = "Dice"
patterns = ["Dice", "DSC"]
higher_is_better = true
case_sensitive = true
type = "quality"
field = "medicine"
'''


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD_METRIC.replace("higher_is_better", "higher_is_beter"), "metric #1 (Dice): unknown key(s) 'higher_is_beter'"),
        (GOOD_METRIC.replace('type = "quality"', 'type = "goodness"'), "metric #1 (Dice): type must be one of"),
        (GOOD_METRIC.replace('patterns = ["Dice", "DSC"]', 'patterns = ["Dice(", "DSC"]'),
         "metric #1 (Dice): 'patterns': 'Dice(' is not a valid regular expression"),
        (GOOD_METRIC.replace('patterns = ["Dice", "DSC"]', 'patterns = []'), "metric #1 (Dice): 'patterns' is empty"),
        (GOOD_METRIC.replace("higher_is_better = true", 'higher_is_better = "yes"'),
         "metric #1 (Dice): 'higher_is_better' must be true or false"),
        (GOOD_METRIC.replace('field = "medicine"\n', ""), "metric #1 (Dice): missing key 'field'"),
        (GOOD_METRIC.replace("[[metric]]", "[[metrics]]"), "top level: missing key 'metric'"),
        ("[[metric]\nname = 1", "metrics.toml: "),  # not TOML at all
    ],
)
def test_bad_metric_entries_are_named(tmp_path, text, message):
    with pytest.raises(V.VocabularyError) as error:
        V.load_metrics(write(tmp_path, "metrics.toml", text))
    assert message in str(error.value) and str(error.value).startswith("metrics.toml: ")
    assert "\n" not in str(error.value)


def test_a_good_metric_entry_loads(tmp_path):
    (metric,) = V.load_metrics(write(tmp_path, "metrics.toml", GOOD_METRIC))
    assert (metric.name, metric.patterns, metric.higher_is_better, metric.type) == ("Dice", ("Dice", "DSC"), True, "quality")


def test_bad_word_lists_are_named(tmp_path):
    path = write(tmp_path, "cues.toml", 'speed = ["faster", 3]\nreduce = ["fewer"]\n')
    with pytest.raises(V.VocabularyError, match=r"cues.toml: top level: 'speed' must hold non-empty strings, not 3"):
        V.load_lists(path, patterns=("speed", "reduce"))
    extra = write(tmp_path, "cues.toml", 'speed = ["faster"]\nreduce = ["fewer"]\nspeeed = ["quicker"]\n')
    with pytest.raises(V.VocabularyError, match=r"unknown key\(s\) 'speeed'"):
        V.load_lists(extra, patterns=("speed", "reduce"))


def test_bad_units_are_named(tmp_path):
    units = (V.VOCABULARY_DIR / "units.toml").read_text(encoding="utf-8")
    path = write(tmp_path, "units.toml", units.replace('T = "T"', 'T = "Tera"', 1))
    with pytest.raises(V.VocabularyError, match="units.toml: top level: magnitudes must map to one of"):
        V.load_units(path)
    noun = write(tmp_path, "units.toml", units.replace('unit = "GPU hours"', 'unit = "GPU hours"\nmetrik = "compute"', 1))
    with pytest.raises(V.VocabularyError, match=r"units.toml: noun #1: unknown key\(s\) 'metrik'"):
        V.load_units(noun)


def test_shipped_vocabulary_covers_the_fields_of_the_corpora():
    fields = {metric.field for metric in V.METRICS}
    assert {"medicine", "speech", "retrieval", "vision", "nlp", "systems"} <= fields
    names = {metric.name for metric in V.METRICS}
    assert {"Dice", "HD95", "C-index", "AUROC", "sensitivity", "WER", "MOS", "PESQ", "STOI", "SI-SDR",
            "ranking metric", "FID", "mAP", "mIoU", "PSNR", "BLEU", "ROUGE", "EM", "F1", "accuracy", "win rate",
            "throughput", "latency"} <= names
