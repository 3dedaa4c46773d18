"""The words of a need or an offer, as `match` compares them (see ledger/rules.py).

A text is folded (case, and the Latin accents: "São Paulo" is "sao paulo"), cut into
words, its stop words dropped and its short forms read as what they stand for, and each
word stemmed with the Snowball English stemmer ("designers" and "designer" are
"design", "investors" is "investor"). A word is stemmed once per command however many
texts have it: matching 11,000 texts stems a few thousand distinct words.

The stems are worked out when matching, not stored, so a better rule needs no
migration; bench/ measures what that costs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from netlog.ledger.names import fold
from netlog.ledger.rules import ALIASES, GENERIC_WORDS, STOP_WORDS

_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    # The package loads every language's stemmer; only English's is used.
    from snowballstemmer.english_stemmer import EnglishStemmer

    return EnglishStemmer()


@lru_cache(maxsize=65536)
def _stems_of_word(word: str) -> tuple[str, ...]:
    """The stems one folded word stands for: none for a stop word or a number."""
    if word in STOP_WORDS or word.isdigit() or len(word) < 2:
        return ()
    words = ALIASES.get(word, word).split()
    return tuple(_stemmer().stemWord(w) for w in words)


def words_of(text: str | None) -> dict[str, str]:
    """Each stem of `text`, with the word it was first written as."""
    found: dict[str, str] = {}
    if not text:
        return found
    for word in _WORD.findall(fold(text)):
        for stem in _stems_of_word(word):
            found.setdefault(stem, word)
    return found


def words_of_all(texts: Iterable[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for text in texts:
        for stem, word in words_of(text).items():
            found.setdefault(stem, word)
    return found


@lru_cache(maxsize=1)
def generic_stems() -> frozenset[str]:
    return frozenset(s for word in GENERIC_WORDS for s in _stems_of_word(word))
