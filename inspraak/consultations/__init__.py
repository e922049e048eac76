"""Consultations: authoring, audience, invitations, answering, paper entry, support measurement."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Let invitation codes sign in through the ordinary sign-in page."""
    from inspraak.consultations.invitations import resolve_code
    from inspraak.core.codes import register_code_resolver

    register_code_resolver(app, resolve_code)
