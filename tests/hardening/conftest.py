"""The authorization matrix's world (users per role, objects owned by someone else) for every file here."""

import pytest

from tests.hardening.world import build_world


@pytest.fixture
def world(site_tree, store):
    return build_world(site_tree, store)
