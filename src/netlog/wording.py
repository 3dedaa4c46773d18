"""Words for people: "an email", "1 favor", "3 favors". One place, so no message says
"a event" or "favor(s)"."""

from __future__ import annotations

_IRREGULAR = {
    "person": "people",
    "entry": "entries",
    "reply": "replies",
    "was": "were",
    "need or offer": "needs and offers",
}


def article(word: str) -> str:
    """`a meeting`, `an email`, `an event`."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def plural(word: str) -> str:
    return _IRREGULAR.get(word, word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s"))


def count(n: int, word: str) -> str:
    """`1 favor`, `2 favors`, `0 interactions`."""
    return f"{n:,} {word if n == 1 else plural(word)}"
