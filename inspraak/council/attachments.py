"""Documents for agenda items and advice requests: type checks, safe storage under the instance folder."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.utils import secure_filename

from inspraak.core.errors import DomainError
from inspraak.council.models import Attachment
from inspraak.extensions import db

PDF = (b"%PDF-",)
ZIP = (b"PK\x03\x04",)  # docx, xlsx, pptx, odt, ods, odp
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # doc, xls, ppt
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", PDF),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
    "odt": ("application/vnd.oasis.opendocument.text", ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    "odp": ("application/vnd.oasis.opendocument.presentation", ZIP),
    "doc": ("application/msword", OLE),
    "xls": ("application/vnd.ms-excel", OLE),
    "ppt": ("application/vnd.ms-powerpoint", OLE),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "gif": ("image/gif", (b"GIF87a", b"GIF89a")),
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def storage_dir() -> Path:
    """The folder attachments live in, outside the static files."""
    path = Path(current_app.config.get("COUNCIL_ATTACHMENT_DIR") or Path(current_app.instance_path) / "council_attachments")
    path.mkdir(parents=True, exist_ok=True)
    return path


def check_file(filename: str, head: bytes) -> tuple[str, str]:
    """The extension and content type of an allowed file, checked by name and by its first bytes.

    Raises:
        DomainError: the extension is not allowed or the content does not match it.
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in ALLOWED:
        raise DomainError(str(_l("This type of file is not allowed. Use PDF, an office document or a picture.")))
    content_type, signatures = ALLOWED[extension]
    if not any(head.startswith(sig) for sig in signatures):
        raise DomainError(str(_l("The file does not match its name. Choose another file.")))
    return extension, content_type


def store_attachment(stream: BinaryIO, filename: str, *, agenda_item_id: int | None = None,
                     advice_request_id: int | None = None) -> Attachment:
    """Check and store an uploaded file under a random name; the original name is kept for downloads.

    Raises:
        DomainError: wrong type, mismatching content, empty or too large.
    """
    limit = current_app.config.get("COUNCIL_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)
    data = stream.read(limit + 1)
    if not data:
        raise DomainError(str(_l("The file is empty.")))
    if len(data) > limit:
        raise DomainError(str(_l("The file is too large. The limit is %(mb)s MB.", mb=limit // (1024 * 1024))))
    extension, content_type = check_file(filename, data[:16])
    stored_name = f"{secrets.token_hex(16)}.{extension}"
    target = storage_dir() / stored_name
    with open(target, "xb") as handle:
        handle.write(data)
    original = (secure_filename(filename) or f"document.{extension}")[:255]
    attachment = Attachment(
        agenda_item_id=agenda_item_id, advice_request_id=advice_request_id, stored_name=stored_name,
        original_name=original, content_type=content_type, size=len(data),
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def attachment_path(attachment: Attachment) -> str:
    """The file's path on disk (the stored name is ours, never the user's)."""
    return os.fspath(storage_dir() / attachment.stored_name)
