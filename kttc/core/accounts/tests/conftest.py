import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Each test starts with no sign-up counted (the throttle counts in the cache)."""
    cache.clear()
    yield
    cache.clear()
