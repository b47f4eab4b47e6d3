"""Text search for ``~`` and ``!~``, approximating Jira's Lucene index.

Every word or quoted phrase of the query must occur in one of the searched fields, case
aside. Like Jira, English stop words are ignored, plurals match their singular (Lucene's
minimal English stemmer), ``*`` and ``?`` are wildcards inside or at the end of a word,
and a word such as ``DCR-12`` is searched as the phrase "dcr 12".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from jirasync.sandbox.jql_lex import JqlError

if TYPE_CHECKING:
    from jirasync.sandbox.jql import JqlContext

# Lucene's English stop words, which Jira drops from both the index and the query.
_STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is",
    "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
    "these", "they", "this", "to", "was", "will", "with"})
_CHUNK = re.compile(r'"([^"]*)"|(\S+)')
_QUERY_WORD = re.compile(r"[\w*?]+")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class TextQuery:
    """The right side of ``~``: phrases of terms, all of which must be found."""

    text: str
    phrases: tuple[tuple[str, ...], ...]

    def resolve(self, ctx: JqlContext) -> tuple[Any, ...]:
        return (self,)

    def found_in(self, texts: list[str]) -> bool:
        """Whether every phrase occurs in one of ``texts`` (an all-stop-word query: no)."""
        documents = [_words(text) for text in texts]
        return bool(self.phrases) and all(
            any(_has_phrase(words, phrase) for words in documents) for phrase in self.phrases)


def compile_text(text: str, field: str) -> TextQuery:
    """Read the value of ``field ~ text``; JqlError when Jira would refuse it."""
    chunks = [quoted or bare for quoted, bare in _CHUNK.findall(text)]
    if not any(_QUERY_WORD.search(chunk) for chunk in chunks):
        raise JqlError(f"The field '{field}' does not support searching for an empty string.")
    for chunk in chunks:
        if chunk[:1] in ("*", "?"):
            raise JqlError(f"The text query '{text}' for field '{field}' is not allowed to "
                           f"start with wildcard character '{chunk[0]}'.")
    phrases = (_terms(chunk) for chunk in chunks)
    return TextQuery(text, tuple(phrase for phrase in phrases if phrase))


def _terms(chunk: str) -> tuple[str, ...]:
    words = (word for word in _QUERY_WORD.findall(chunk.lower()) if word not in _STOP_WORDS)
    return tuple(word if _is_wildcard(word) else _stem(word) for word in words)


def _words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.lower()) if word not in _STOP_WORDS]


def _is_wildcard(term: str) -> bool:
    return "*" in term or "?" in term


def _has_phrase(words: list[str], phrase: tuple[str, ...]) -> bool:
    width = len(phrase)
    return any(all(_term_matches(term, word) for term, word in zip(phrase, words[at:at + width]))
               for at in range(len(words) - width + 1))


def _term_matches(term: str, word: str) -> bool:
    if not _is_wildcard(term):
        return term == _stem(word)
    # fnmatch's patterns do not backtrack exponentially on terms like a*a*a*b; a term
    # holds only word characters and wildcards, so no [ranges] sneak in.
    return fnmatchcase(word, term)


def _stem(word: str) -> str:
    """Lucene's EnglishMinimalStemmer: plural to singular, nothing cleverer."""
    if len(word) < 3 or word[-1] != "s" or word[-2] in "us":
        return word
    if word[-2] == "e":
        if len(word) > 3 and word[-3] == "i" and word[-4] not in "ae":
            return word[:-3] + "y"
        if word[-3] in "iaoe":
            return word
    return word[:-1]
