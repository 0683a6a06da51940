"""frontlines: raw news reports about an armed conflict in, a sourced situation picture out.

The flow of a document (one module per stage): read → segment → annotate → link →
extract → store, then across documents fuse. ``frontlines.pipeline`` composes them.
"""

from frontlines.models import (
    Actor,
    Cluster,
    Contradiction,
    Control,
    Document,
    Event,
    Mention,
    Place,
    Rejected,
    Segment,
)

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Cluster",
    "Contradiction",
    "Control",
    "Document",
    "Event",
    "Mention",
    "Place",
    "Rejected",
    "Segment",
    "__version__",
]
