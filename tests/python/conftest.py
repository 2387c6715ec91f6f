"""Shared pytest setup: an isolated on-disk cache per test session."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("ENIGMA_CACHE_DIR", str(tmp_path_factory.mktemp("enigma-cache")))
    yield
    mp.undo()
