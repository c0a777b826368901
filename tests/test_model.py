"""The inventory model's merge rules."""

from sbomkit.model import Component, Location, Scope, merge_components


def test_locations_with_and_without_lines_sort_together() -> None:
    """Regression: a csproj seen as a whole file and at line 1 used to crash the merge."""
    a = Component("x", "1", "nuget", locations=(Location("a.csproj", 1),), ref="r")
    b = Component("x", "1", "nuget", locations=(Location("a.csproj"), Location("0.lock", 9)))
    merged = merge_components(a, b)
    assert [str(loc) for loc in merged.locations] == ["0.lock:9", "a.csproj", "a.csproj:1"]


def test_merge_keeps_the_strongest_scope_and_any_direct() -> None:
    a = Component("x", "1", "npm", scope=Scope.DEV, direct=False, found_by=("b",), ref="r")
    b = Component("x", "1", "npm", scope=Scope.OPTIONAL, direct=True, found_by=("a",), ref="r")
    merged = merge_components(a, b)
    assert (merged.scope, merged.direct, merged.found_by) == (Scope.OPTIONAL, True, ("a", "b"))
