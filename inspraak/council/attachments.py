"""Documents for agenda items and advice requests, stored through inspraak.core.files."""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from flask import current_app

from inspraak.core import files
from inspraak.council.models import Attachment
from inspraak.extensions import db


def storage_dir() -> Path:
    """The folder attachments live in, outside the static files."""
    return files.storage_dir("COUNCIL_ATTACHMENT_DIR", "council_attachments")


def store_attachment(stream: BinaryIO, filename: str, *, agenda_item_id: int | None = None,
                     advice_request_id: int | None = None) -> Attachment:
    """Check and store an uploaded file under a random name; the original name is kept for downloads.

    Raises:
        FileRefused: wrong type, mismatching content, empty or too large.
    """
    limit = current_app.config.get("COUNCIL_ATTACHMENT_MAX_BYTES", files.DEFAULT_MAX_BYTES)
    stored = files.store_file(stream, filename, storage_dir(), max_bytes=limit)
    attachment = Attachment(
        agenda_item_id=agenda_item_id, advice_request_id=advice_request_id, stored_name=stored.stored_name,
        original_name=stored.original_name, content_type=stored.content_type, size=stored.size,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def attachment_path(attachment: Attachment) -> str:
    """The file's path on disk (the stored name is ours, never the user's)."""
    return files.stored_path(storage_dir(), attachment.stored_name)
