"""Settings: one table, environment over file over default, errors that name the file and key."""

from pathlib import Path

import pytest

from observatory.errors import ConfigError
from observatory.settings import SETTINGS, Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_environment_beats_file_beats_default(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("crawl:\n  delay: 0.5\n  max_pages: 7\n")
    settings = Settings(path, environ={"OBSERVATORY_CRAWL_MAX_PAGES": "9"})
    assert settings["crawl.delay"] == 0.5
    assert settings["crawl.max_pages"] == 9
    assert settings["crawl.allow_private_addresses"] is False


@pytest.mark.parametrize(
    "text, words",
    [
        ("crawl:\n  dealy: 1\n", ["crawl.dealy"]),
        ("crawl: {max_pages: lots}\n", ["crawl.max_pages", "lots"]),
        ("[not, a, mapping]\n", ["mapping"]),
        ("crawl: {delay: [\n", ["YAML"]),
    ],
)
def test_bad_settings_name_the_file_and_the_key(tmp_path, text, words):
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        Settings(path, environ={})
    assert str(path) in str(info.value)
    for word in words:
        assert word in str(info.value)


def test_booleans_from_the_environment():
    assert Settings(None, environ={"OBSERVATORY_CRAWL_ALLOW_PRIVATE_ADDRESSES": "yes"})[
        "crawl.allow_private_addresses"
    ]
    with pytest.raises(ConfigError):
        Settings(None, environ={"OBSERVATORY_CRAWL_ALLOW_PRIVATE_ADDRESSES": "perhaps"})


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_in_the_readme(setting):
    assert f"| `{setting.name}` |" in README and setting.env in README
