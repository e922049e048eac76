"""Staff pages for the outbox."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("notify_manage", __name__, template_folder="templates")
