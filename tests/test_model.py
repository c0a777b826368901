"""The inventory model's merge rules."""

import pytest

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


def test_quick_init_builds_what_the_dataclass_init_built() -> None:
    """Component's __init__ from quick_init: same parameters, defaults, __post_init__."""
    import dataclasses
    import inspect

    from sbomkit.model import Component, ComponentType

    names = [f.name for f in dataclasses.fields(Component)]
    assert list(inspect.signature(Component).parameters) == names
    c = Component("x", "1.0", "pypi")
    assert (c.ref, c.type, c.licenses, c.direct) == ("pypi:x@1.0", ComponentType.LIBRARY, (), None)
    assert Component(name="x", version="1.0", ecosystem="pypi", ref="given").ref == "given"
    assert c == Component("x", "1.0", "pypi", ref="other")  # ref is not compared
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.name = "y"  # type: ignore[misc]
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'ecosystem'"):
        Component("x", "1.0")  # type: ignore[call-arg]


def test_quick_init_refuses_what_it_cannot_build() -> None:
    from dataclasses import dataclass, field

    from sbomkit.model import quick_init

    @dataclass(frozen=True, slots=True)
    class WithFactory:
        items: list[str] = field(default_factory=list)

    with pytest.raises(TypeError, match=r"^quick_init: WithFactory\.items is not supported$"):
        quick_init(WithFactory)
