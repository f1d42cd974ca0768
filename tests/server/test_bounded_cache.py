import pytest

from make_mcp.server.support.bounded_cache import BoundedCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_past_its_bound_the_cache_drops_the_least_recently_used_and_says_so() -> None:
    evicted: list[tuple[str, int]] = []
    cache: BoundedCache[str, int] = BoundedCache(2, on_evict=lambda key, value: evicted.append((key, value)))
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # now "b" is the least recently used
    cache.put("c", 3)
    assert evicted == [("b", 2)]
    assert cache.get("b") is None
    assert [key for key, _ in cache.items()] == ["a", "c"]


def test_peek_does_not_count_as_a_use() -> None:
    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.peek("a") == 1
    cache.put("c", 3)
    assert "a" not in cache and len(cache) == 2


def test_a_value_expires_after_its_lifetime_on_the_injected_clock() -> None:
    clock = Clock()
    cache: BoundedCache[str, int] = BoundedCache(10, ttl=60.0, clock=clock)
    cache.put("a", 1)
    cache.put("b", 2, ttl=5.0)
    clock.now = 4.9
    assert cache.get("b") == 2
    clock.now = 5.0
    assert cache.get("b") is None
    assert "b" not in cache  # an expired value is dropped when read
    assert cache.get("a") == 1
    clock.now = 60.0
    assert cache.peek("a") is None


def test_putting_again_replaces_the_value_and_its_lifetime() -> None:
    clock = Clock()
    cache: BoundedCache[str, int] = BoundedCache(10, ttl=10.0, clock=clock)
    cache.put("a", 1)
    clock.now = 8.0
    cache.put("a", 2)
    clock.now = 15.0
    assert cache.get("a") == 2
    assert cache.pop("a") == 2
    assert cache.pop("a") is None


def test_a_cache_of_no_entries_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        BoundedCache(0)
