"""Council tests run their own code as a GET request."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def request_context(app):  # noqa: ANN001, ANN201
    """Test code runs as a GET request: services translate their messages, and the test's own reads
    begin deferred SQLite transactions that do not hold the write lock against the client's requests."""
    with app.test_request_context("/"):
        yield
