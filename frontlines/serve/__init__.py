"""serve: the JSON API and the map page over a frontlines database (read-only)."""

from __future__ import annotations

from frontlines.serve.app import create_app

__all__ = ["create_app"]
