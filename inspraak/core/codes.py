"""A hook through which packages accept codes typed on the sign-in page.

Auth knows its own personal sign-in codes; a consultation's invitation code (or any
later kind) is resolved by the package that issued it, which registers a resolver here,
so that auth does not import those packages.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from flask import Flask, current_app


@dataclass(frozen=True)
class CodeMatch:
    """Who a code signs in, and where they go next."""

    person: Any
    next_url: str | None = None


CodeResolver = Callable[[str], "CodeMatch | None"]
_KEY = "inspraak.code_resolvers"


def register_code_resolver(app: Flask, resolver: CodeResolver) -> None:
    """Let ``resolver(normalized_code)`` answer codes that auth does not know itself."""
    app.extensions.setdefault(_KEY, []).append(resolver)


def resolve_code(code: str) -> CodeMatch | None:
    """Ask every registered resolver, in order; the first match wins."""
    for resolver in current_app.extensions.get(_KEY, []):
        match = resolver(code)
        if match is not None:
            return match
    return None
