"""Uploaded documents: type checks by name and content, and safe storage under the instance folder.

Packages keep their own table of documents (who may see them); this module only checks the
bytes and stores them under a random name, in a folder per kind of document.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
from flask import Response, abort, current_app, send_file
from flask_babel import lazy_gettext as _l
from werkzeug.utils import secure_filename

from inspraak.core.errors import FieldRefused
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
# session.info key: the files written during the session's transaction, removed again if it rolls back
_WRITTEN = "inspraak.files_written"


class FileRefused(FieldRefused):
    """The uploaded file itself was refused (type, content, size): its message belongs beside the file field,
    named ``document`` on every form that stores a file through this module."""

    def __init__(self, message: str, field: str = "document") -> None:
        super().__init__(message, field)


@dataclass(frozen=True)
class StoredFile:
    """A file written to storage: our name for it, the uploader's name, its type and size."""

    stored_name: str
    original_name: str
    content_type: str
    size: int


def storage_dir(config_key: str, default_folder: str) -> Path:
    """The folder for one kind of document (``config_key`` overrides instance/``default_folder``)."""
    path = Path(current_app.config.get(config_key) or Path(current_app.instance_path) / default_folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def check_file(filename: str, head: bytes, allowed: tuple[str, ...] | None = None) -> tuple[str, str]:
    """The extension and content type of an allowed file, checked by name and by its first bytes.

    Args:
        allowed: the extensions accepted here (default: every one in ALLOWED).
    Raises:
        FileRefused: the extension is not allowed or the content does not match it.
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in ALLOWED or (allowed is not None and extension not in allowed):
        if allowed == ("pdf",):
            raise FileRefused(str(_l("This type of file is not allowed. Use PDF.")))
        raise FileRefused(str(_l("This type of file is not allowed. Use PDF, an office document or a picture.")))
    content_type, signatures = ALLOWED[extension]
    if not any(head.startswith(sig) for sig in signatures):
        raise FileRefused(str(_l("The file does not match its name. Choose another file.")))
    return extension, content_type


def store_file(stream: BinaryIO, filename: str, folder: Path, *, max_bytes: int,
               allowed: tuple[str, ...] | None = None) -> StoredFile:
    """Check an uploaded file and write it to ``folder`` under a random name.

    Raises:
        FileRefused: wrong type, mismatching content, empty or too large.
    """
    data = stream.read(max_bytes + 1)
    if not data:
        raise FileRefused(str(_l("The file is empty.")))
    if len(data) > max_bytes:
        raise FileRefused(str(_l("The file is too large. The limit is %(mb)s MB.", mb=max_bytes // (1024 * 1024))))
    extension, content_type = check_file(filename, data[:16], allowed)
    stored_name = f"{secrets.token_hex(16)}.{extension}"
    with open(folder / stored_name, "xb") as handle:
        handle.write(data)
    session = db.session()
    if not session.in_transaction():
        session.begin()  # the file belongs to this transaction (no SQL yet): its rollback removes it
    session.info.setdefault(_WRITTEN, []).append(folder / stored_name)
    original = (secure_filename(filename) or f"document.{extension}")[:255]
    return StoredFile(stored_name, original, content_type, len(data))


def stored_path(folder: Path, stored_name: str) -> str:
    """A stored file's path on disk (the stored name is ours, never the user's)."""
    return os.fspath(folder / stored_name)


def download(path: str, content_type: str, name: str) -> Response:
    """A stored document as a download under its uploader's name. A file gone from disk (a database restored
    without its files) is logged for the administrator and answered with the "not found" page, not an error."""
    if not os.path.isfile(path):
        current_app.logger.error("A stored document is missing from disk: %s (%s)", path, name)
        abort(404)
    return send_file(path, mimetype=content_type, as_attachment=True, download_name=name, max_age=0)


def remove_file(folder: Path, stored_name: str) -> None:
    """Delete a stored file; a file already gone is fine."""
    try:
        os.remove(folder / stored_name)
    except FileNotFoundError:
        pass


# A file is written before its row is committed. If the transaction then rolls back (a later step refused,
# a clash, an error), the row is gone and so must the file be: nothing on disk that no row names.
@sa.event.listens_for(sa.orm.Session, "after_commit")
def _keep_written(session: sa.orm.Session) -> None:
    session.info.pop(_WRITTEN, None)


@sa.event.listens_for(sa.orm.Session, "after_transaction_end")  # a rollback, or a close without commit (an error)
def _remove_written(session: sa.orm.Session, transaction: sa.orm.SessionTransaction) -> None:
    if transaction.parent is not None:  # a savepoint: the transaction the files belong to goes on (none are written in one)
        return
    for path in session.info.pop(_WRITTEN, []):  # after a commit the list is gone already (after_commit)
        remove_file(path.parent, path.name)
