"""Mine abstracts for numeric claims: speedups, reductions, scores, improvements and scale facts.

The stage reads each abstract the way a researcher does, in steps that are modules here:

- :mod:`~pipeline.claims.text`: an offset-preserving clean copy (LaTeX, scraper residue) and sentences;
- :mod:`~pipeline.claims.numbers`: every number, in digits or words, with the unit written after it;
- :mod:`~pipeline.claims.dismiss`: numbers that are no claim (names, years, citations, ...), with a reason;
- :mod:`~pipeline.claims.coordinate`: numbers that belong together (lists, ranges, before and after);
- :mod:`~pipeline.claims.cues`: the cue words that tell a number's kind ("faster", "fewer", "better");
- :mod:`~pipeline.claims.decide`: each number's kind, from the cue words and metric next to it;
- :mod:`~pipeline.claims.revise`: a second look at a decided kind with the whole sentence and abstract;
- :mod:`~pipeline.claims.context`: its metric, baseline and dataset;
- :mod:`~pipeline.claims.extract`: claims and the claims table.

Vocabularies (metrics of every field, units, counted nouns, cue words, names) are data files in
``vocabulary/``, loaded and checked by :mod:`~pipeline.claims.vocab`.
"""

from pipeline.claims.dismiss import REASONS
from pipeline.claims.extract import KINDS, Claim, Number, claims_in_text, extract_claims, numbers_in_text

__all__ = ["KINDS", "REASONS", "Claim", "Number", "claims_in_text", "extract_claims", "numbers_in_text"]
