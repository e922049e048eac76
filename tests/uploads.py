"""Upload forms sent without a file: with no file field at all, or as a browser sends one when no file was chosen."""
from __future__ import annotations

import io

import pytest

without_a_file_cases = pytest.mark.parametrize("empty_part", [False, True], ids=["no file field", "no file chosen"])


def without_a_file(data: dict, *, empty_part: bool, name: str = "document") -> dict:
    """``data`` with no file under ``name``; ``empty_part``: the empty part without a file name a browser sends."""
    return {**data, name: (io.BytesIO(b""), "")} if empty_part else dict(data)
