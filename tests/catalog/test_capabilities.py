from testkit import REPO

from sbomkit.catalog.capabilities import markdown_table

START, END = "<!-- capability-table:start -->", "<!-- capability-table:end -->"


def test_readme_capability_table_matches_registry() -> None:
    readme = (REPO / "README.md").read_text()
    current = readme.split(START, 1)[1].split(END, 1)[0].strip()
    assert current == markdown_table(), (
        "README capability table is stale; replace it with:\n" + markdown_table()
    )
