"""A classroom student: one folder per student by a collision-free key, and the PIN that proves them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.classroom import students
from game.classroom.students import BadName, student, student_folder
from game.tui.classroom import Classroom


@pytest.mark.parametrize("a, b", [
    ("A/B", "A_B"),
    ("Anna.", "Anna"),
    ("李" * 32 + "一", "李" * 32 + "二"),  # names sharing their first 96 bytes (the old cut)
    ("x" * 60 + "a", "x" * 60 + "b"),      # names sharing more than the folder's readable prefix
    ("Ж" * 48 + "а", "Ж" * 48 + "б"),
    ("../x", "_.._x"),
    ("CON", "CON_"),
])
def test_different_names_never_share_a_folder(tmp_path: Path, a: str, b: str) -> None:
    assert student(a).key != student(b).key
    assert student_folder(tmp_path, student(a)) != student_folder(tmp_path, student(b))


@pytest.mark.parametrize("a, b", [
    ("anna", "Anna"),
    ("ANNA  PETROVA", " Anna Petrova "),
    ("Zoe\u0308", "Zoë"),           # decomposed and composed
    ("Ａｎｎａ", "Anna"),             # full-width letters are the same letters (NFKC)
    ("Straße", "STRASSE"),          # case-folded, not only lower-cased
])
def test_the_same_student_next_lesson_finds_the_same_folder(tmp_path: Path, a: str, b: str) -> None:
    assert student(a).key == student(b).key
    assert student_folder(tmp_path, student(a)) == student_folder(tmp_path, student(b))


def test_the_folder_is_readable_safe_and_bounded(tmp_path: Path) -> None:
    folder = student_folder(tmp_path, student("Анна Петрова"))
    assert folder.parent == tmp_path and folder.name.startswith("анна петрова-")
    long = student_folder(tmp_path, student("Ж" * 64)).name
    assert len(long.encode()) <= students.PREFIX_BYTES + 1 + students.HASH_CHARS
    assert student_folder(tmp_path, student("../../etc")).parent == tmp_path
    assert student_folder(tmp_path, student("?1")).name.startswith("_1-")


@pytest.mark.parametrize("raw, expected", [
    ("Anna\u202eanna", "character 5 of the name is an invisible formatting character (U+202E)"),  # bidi override
    ("An\u200bna", "character 3 of the name is an invisible formatting character (U+200B)"),      # zero-width space
    ("An\u200dna", "character 3 of the name is an invisible formatting character (U+200D)"),      # zero-width joiner
    ("Anna\x07", "character 5 of the name is a control character (U+0007)"),
    ("\u0410nna", "the name mixes Cyrillic and Latin letters (character 2, 'n', is Latin)"),     # Cyrillic А + Latin
    ("Anna Пetrova", "the name mixes Latin and Cyrillic letters (character 6, 'П', is Cyrillic)"),
    ("", "give a name with at least one letter or digit"),
    ("   ...  ", "give a name with at least one letter or digit"),
    ("a" * 65, "the name is 65 characters long; keep it to 64"),
])
def test_names_that_could_pass_for_another_are_refused_with_the_place(raw: str, expected: str) -> None:
    with pytest.raises(BadName) as err:
        student(raw)
    assert str(err.value).startswith(expected)


@pytest.mark.parametrize("name", ["山田 はなこ", "田中カタカナ", "김민준", "José Ñúñez", "Анна-Мария", "O'Brien 2"])
def test_real_names_in_one_writing_system_are_welcome(name: str) -> None:
    assert student(name).name == name


def test_a_folder_of_the_old_scheme_moves_to_its_student_on_first_sign_in(tmp_path: Path) -> None:
    old = tmp_path / "7B" / "Anna Petrova"
    old.mkdir(parents=True)
    (old / "autosave.json").write_text("{}")
    room = Classroom(tmp_path, "7B")
    folder = room.folder_for("Anna Petrova")
    assert folder == tmp_path / "7B" / student("Anna Petrova").folder_name
    assert (folder / "autosave.json").read_text() == "{}" and not old.exists()
    # A new-scheme folder is never taken for an old one.
    assert room.folder_for("anna petrova") == folder


@pytest.mark.parametrize("folder, saved_by, other", [
    ("Gregor Samsa", None, "Gregor Samsa."),      # made safe, a trailing dot went: another name, made the same
    ("Gregor Samsa", None, "/Gregor Samsa"),
    ("Anna_Petrova", "Anna_Petrova", "Anna/Petrova"),  # its saves say who made it: not this one
])
def test_an_old_folder_is_never_handed_to_a_name_that_merely_made_the_same_folder(tmp_path: Path, folder: str,
                                                                                 saved_by: str | None,
                                                                                 other: str) -> None:
    old = tmp_path / "7B" / folder
    old.mkdir(parents=True)
    (old / "autosave.json").write_text(json.dumps({"meta": {"student": saved_by}}) if saved_by else "{}")
    room = Classroom(tmp_path, "7B")
    assert room.folder_for(other) == tmp_path / "7B" / student(other).folder_name
    assert old.exists() and not list(room.folder_for(other).glob("*.json"))  # nothing of theirs handed over
    assert room.folder_for(folder) == tmp_path / "7B" / student(folder).folder_name and not old.exists()


def test_an_old_folder_goes_to_the_student_its_saves_name(tmp_path: Path) -> None:
    old = tmp_path / "7B" / "Anna_Petrova"  # what "Anna/Petrova" made
    old.mkdir(parents=True)
    (old / "broken.json").write_text("{")  # a damaged save is passed over, not a traceback
    (old / "autosave.json").write_text(json.dumps({"meta": {"student": "Anna/Petrova"}}))
    folder = Classroom(tmp_path, "7B").folder_for("Anna/Petrova")
    assert folder == tmp_path / "7B" / student("Anna/Petrova").folder_name and not old.exists()
    assert (folder / "autosave.json").exists()


def test_a_pin_is_kept_hashed_with_its_own_salt_and_checked(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    students.set_pin(a, "4821")
    students.set_pin(b, "4821")
    record = json.loads(students.pin_file(a).read_text())
    assert "4821" not in students.pin_file(a).read_text()
    assert record["salt"] != json.loads(students.pin_file(b).read_text())["salt"]
    assert record["hash"] != json.loads(students.pin_file(b).read_text())["hash"]
    assert students.pin_matches(a, "4821") and students.pin_matches(a, " 4821 ")
    assert not students.pin_matches(a, "4822") and not students.pin_matches(a, "") and not students.pin_matches(a, "４８２１")
    assert students.reset_pin(a) and not students.has_pin(a) and not students.reset_pin(a)


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "１２３４", ""])
def test_a_pin_is_4_to_8_plain_digits(pin: str) -> None:
    with pytest.raises(ValueError, match="a PIN is 4 to 8 digits"):
        students.check_pin_format(pin)


def test_a_damaged_pin_file_is_named_not_a_traceback(tmp_path: Path) -> None:
    students.pin_file(tmp_path).parent.mkdir(parents=True)
    students.pin_file(tmp_path).write_text('{"scrypt": {"n": 999999999999, "r": 8, "p": 1}, "salt": "", "hash": ""}')
    with pytest.raises(students.PinFileError, match="the stored PIN cannot be read"):
        students.pin_matches(tmp_path, "1234")
