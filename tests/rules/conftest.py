"""Rules tests are plain pytest: no database, no Django models (the rules package imports none)."""

from __future__ import annotations

import pytest

from openleave.rules.params import default_tree


@pytest.fixture
def tree():
    return default_tree()
