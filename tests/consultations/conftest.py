"""Every consultations test keeps the objects it made readable after a commit (the factories: factories.py)."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _objects_stay_loaded(keep_loaded_objects):  # noqa: ANN001, ANN202
    """Consultations tests read what they made after the views committed, without a write-locking transaction."""
