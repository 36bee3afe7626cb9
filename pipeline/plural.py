"""Counts in words, for every line the CLI prints: "1 paper", "2 papers", "1,024 rows".

English plurals of the nouns the messages use are regular ("-s", "-es", "-y" → "-ies"); a noun that
is not ("analysis") passes its plural.
"""

from __future__ import annotations


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """`count` and `noun`, the noun in the plural unless the count is exactly one."""
    return f"{count:,} {noun if count == 1 else plural_form or plural_of(noun)}"


def plural_of(noun: str) -> str:
    """The regular English plural: "paper" → "papers", "batch" → "batches", "query" → "queries"."""
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return noun[:-1] + "ies"
    return noun + "s"
