"""Upload forms sent without a file: with no file field at all, or as a browser sends one when no file was chosen."""
from __future__ import annotations

import io

import pytest

without_a_file_cases = pytest.mark.parametrize("empty_part", [False, True], ids=["no file field", "no file chosen"])


def without_a_file(data: dict, *, empty_part: bool, name: str = "document") -> dict:
    """``data`` with no file under ``name``; ``empty_part``: the empty part without a file name a browser sends."""
    return {**data, name: (io.BytesIO(b""), "")} if empty_part else dict(data)


# Files the upload forms refuse, and the message said beside the file field: a type not allowed, content that does
# not match its name, an empty file, and one over the limit (the test sets the limit to 1 MB).
refused_file_cases = pytest.mark.parametrize(("filename", "content", "message"), [
    ("plan.exe", b"MZ\x90\x00", "This type of file is not allowed."),
    ("plan.pdf", b"<html>not a pdf</html>", "The file does not match its name. Choose another file."),
    ("plan.pdf", b"", "The file is empty."),
    ("plan.pdf", b"%PDF-1.4\n" + b"x" * (1024 * 1024), "The file is too large. The limit is 1 MB."),
], ids=["type", "content", "empty", "size"])


def with_a_file(data: dict, filename: str, content: bytes, name: str = "document") -> dict:
    """``data`` with the file ``filename`` holding ``content`` under ``name``."""
    return {**data, name: (io.BytesIO(content), filename)}
