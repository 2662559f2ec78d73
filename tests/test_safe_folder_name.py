"""safe_folder_name: a classroom student's (or class's) name as one folder that stays put."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.saves import FOLDER_NAME_BYTES, safe_folder_name


@pytest.mark.parametrize("raw, expected", [
    ("Anna Petrova", "Anna Petrova"),
    ("  Anna   Petrova  ", "Anna Petrova"),
    ("..", None),
    (".", None),
    ("../../etc/passwd", "_.._etc_passwd"),
    ("/", None),
    ("a/b", "a_b"),
    ("a\\b", "a_b"),
    ("nul\x00byte", "nul_byte"),
    ("tab\there", "tab here"),
    ("line\nbreak", "line break"),
    ("", None),
    ("   ", None),
    ("\x00", None),
    ("...hidden", "hidden"),
    ("trailing. ", "trailing"),
    ("CON", "CON_"),
    ("com1.txt", "com1.txt_"),
    ("Анна Петрова", "Анна Петрова"),
    ("Zoë", "Zoë"),
    ("Zoe\u0308", "Zoë"),  # decomposed form: the same folder as the composed one
    ("李小龙", "李小龙"),
    ('what?<>:"|*', "what_______"),
])
def test_names_become_one_safe_folder(raw, expected):
    if expected is None:
        with pytest.raises(ValueError):
            safe_folder_name(raw)
    else:
        assert safe_folder_name(raw) == expected


def test_a_very_long_name_is_cut_without_splitting_a_character():
    name = safe_folder_name("Ж" * 500)
    assert len(name.encode("utf-8")) <= FOLDER_NAME_BYTES
    assert name == "Ж" * (FOLDER_NAME_BYTES // 2)
    mixed = safe_folder_name("a" + "€" * 200)  # 1 + 3-byte characters: the cut falls mid-character
    assert len(mixed.encode("utf-8")) <= FOLDER_NAME_BYTES and mixed.startswith("a€")
    mixed.encode("utf-8").decode("utf-8")


@pytest.mark.parametrize("raw", ["..", "../x", "a/../../b", "/abs", "x\x00/..", "C:\\Windows", "~", "~/x", "-rf"])
def test_no_name_leaves_its_parent_folder(tmp_path: Path, raw: str):
    try:
        folder = safe_folder_name(raw)
    except ValueError:
        return
    target = (tmp_path / folder).resolve()
    assert target.parent == tmp_path.resolve()
    assert "/" not in folder and "\x00" not in folder and folder not in (".", "..")
    target.mkdir()  # and it is a folder the system accepts
