"""Small helpers shared by the claims tests: what the evaluation matches on, and one claim of a kind."""

from __future__ import annotations

from pipeline.claims import Claim, claims_in_text, numbers_in_text


def facts(text: str) -> set[tuple[str, float, str]]:
    """(kind, value, unit) of every claim, the part the evaluation matches on."""
    return {(c.kind, c.value, c.unit) for c in claims_in_text(text)}


def only(text: str, kind: str) -> Claim:
    found = [c for c in claims_in_text(text) if c.kind == kind]
    assert len(found) == 1, found
    return found[0]


def reasons(text: str) -> dict[str, str | None]:
    """Each number's text and why it is no claim (None for claims)."""
    return {n.text: n.reason for n in numbers_in_text(text)}
