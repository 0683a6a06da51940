"""How sure a sentence is of its event, and whom it attributes the claim to: hedges,
modals, negation and denial over the trigger; the reporting verb that governs it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from frontlines.models import Certainty

if TYPE_CHECKING:
    from frontlines.lexicon import Lexicon


def certainty_of(lex: Lexicon, sent: Any, tok: Any) -> tuple[Certainty, str | None]:
    """Certainty from hedges, negation and modals over the trigger; attribution from
    the reporting verb that governs it."""
    lower = sent.text.lower()
    attributed = attribution(lex, sent, tok)
    governors = governing(tok)[:4] + [tok]
    for node in governors:
        kids = [c.lower_ for c in node.children if c.dep_ in ("neg", "aux", "auxpass")]
        if any(k in ("not", "n't", "never", "no") for k in kids) or node.lemma_ in (
            "deny", "refute", "dismiss"
        ):  # fmt: skip
            return "denied", attributed
    denial = re.search(r"\b(no plans? to|denied|denies|deny|rejected claims|dismissed reports)\b",
                       lower)  # fmt: skip
    if denial and not denial_elsewhere(sent, tok, denial.start()):
        return "denied", attributed
    if any(h in lower for h in lex.hedges):
        return "unconfirmed", attributed
    for node in governors:
        kids = [c.lower_ for c in node.children if c.dep_ == "aux"]
        if ranks_it(node):
            continue  # "the strikes may be the deadliest": the ranking is hedged, not the strikes
        if any(k in lex.possible for k in kids) or node.lemma_ in lex.possible:
            return "possible", attributed
    if attributed:
        return "reported", attributed
    return "asserted", None


def ranks_it(node: Any) -> bool:
    """A copula whose attribute is a superlative ("may be the bloodiest raid on a hospital",
    "could be the largest"): a modal on it weighs the record, not whether it happened."""
    if node.lemma_ != "be":
        return False
    attrs = [c for c in node.children if c.dep_ in ("attr", "acomp")]
    return any(t.tag_ == "JJS" or t.lower_ == "most" for a in attrs for t in a.subtree)


def governing(tok: Any) -> list[Any]:
    """The token's ancestors up to its own clause chain: a coordinated clause ('denied X
    and said Y') is not governed by the verb it is coordinated with."""
    chain = []
    node = tok
    while node.head.i != node.i:
        if node.dep_ == "conj" and node.pos_ in ("VERB", "AUX"):
            break
        node = node.head
        chain.append(node)
    return chain


def denial_elsewhere(sent: Any, tok: Any, at: int) -> bool:
    """A denial verb that governs another clause, not the trigger's ('denied using chemical
    weapons and said an air strike hit a depot')."""
    deny = next((t for t in sent if t.idx - sent.start_char >= at), None)
    if deny is None or deny.lemma_.lower() not in ("deny", "denied"):
        return False
    return deny not in governing(tok) and deny.i != tok.i


def attribution(lex: Lexicon, sent: Any, tok: Any) -> str | None:
    """Who the sentence says the claim comes from ('state media, citing a military source')."""
    lower = sent.text.lower()
    match = re.search(r"according to ([^,.;]+)", sent.text, re.I)
    if match:
        return match.group(1).strip()
    for node in [tok, *tok.ancestors, *sent.root.children, sent.root]:
        lemma = (node.lemma_ or "").lower()
        if lemma in lex.reporting and node.pos_ == "VERB":
            subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                words = [t for t in subj[0].subtree]
                text = sent.doc[words[0].i : words[-1].i + 1].text
                cite = re.search(r"citing ([^,.;]+)", lower)
                if cite:
                    text = f"{text}, citing {cite.group(1).strip()}"
                if text.lower() not in ("it", "he", "she", "they", "we", "i"):
                    return str(text).strip()
    return None
