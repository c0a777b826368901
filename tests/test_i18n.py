import pytest

from sbomkit.errors import SbomkitError
from sbomkit.i18n import Msg, current_lang, render
from sbomkit.i18n.catalog import TEXT


def test_every_code_has_english_and_japanese_text() -> None:
    assert sorted(TEXT) == sorted(m.value for m in Msg)
    for code, (en, ja) in TEXT.items():
        assert en.strip() and ja.strip(), code
        assert en != ja, code


def test_render_formats_location_and_detail() -> None:
    got = render(Msg.MISSING_VERSION, "en", where="poetry.lock:42", detail="name 'x'")
    assert got == "poetry.lock:42: package has no version (name 'x')"
    got = render(Msg.MISSING_VERSION, "ja", where="poetry.lock:42")
    assert got == "poetry.lock:42: パッケージにバージョンがありません"


def test_error_renders_in_both_languages() -> None:
    e = SbomkitError(Msg.PATH_NOT_FOUND, "nowhere")
    assert str(e) == "nowhere: no such file or directory"
    assert e.render("ja") == "nowhere: ファイルまたはディレクトリがありません"


@pytest.mark.parametrize(
    ("env", "explicit", "expected"),
    [
        ({"LANG": "ja_JP.UTF-8"}, None, "ja"),
        ({"LANG": "ja_JP.UTF-8"}, "en", "en"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "ja_JP.UTF-8"}, None, "en"),
        ({"SBOMKIT_LANG": "ja", "LC_ALL": "C"}, None, "ja"),
        ({}, None, "en"),
    ],
)
def test_language_choice(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], explicit: str | None, expected: str
) -> None:
    for var in ("SBOMKIT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert current_lang(explicit) == expected
