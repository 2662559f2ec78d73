"""Every command's `-o`: one home (`game.output`), a file written whole and readable, or words saying why not.

A folder where a file was meant, or a place that cannot be written, used to be
a traceback from `tauride map` and `tauride schema`; every command with `-o`
now answers as `tauride: NAME: …` with exit status 1, and makes a missing
folder on the way.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from game.cli import main
from game.output import OutputError, emit, write_shared


@pytest.fixture
def folder(make_story) -> Path:
    return Path(make_story())  # conftest's small story


@pytest.mark.parametrize("argv", [
    ["schema"],
    ["map", "{story}"],
    ["map", "{story}", "--format", "dot"],
    ["guide", "{story}"],
])
def test_a_folder_given_as_the_output_file_is_named_not_a_traceback(argv, folder, tmp_path, capsys):
    out = tmp_path / "already-a-folder"
    out.mkdir()
    code = main([a.format(story=folder) for a in argv] + ["-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"tauride: {out}: is a folder; give a file's name, as in {out}/NAME" in err
    assert "Traceback" not in err and list(out.iterdir()) == []


def test_a_place_that_cannot_be_written_says_why(tmp_path, capsys):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert main(["schema", "-o", str(blocked / "schema.json")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"tauride: {blocked / 'schema.json'}: could not write (") and "Traceback" not in err


def test_a_missing_folder_is_made_and_the_file_is_readable_by_others(folder, tmp_path, capsys):
    schema = tmp_path / "new" / "deeper" / "schema.json"
    assert main(["schema", "-o", str(schema)]) == 0
    assert json.loads(schema.read_text())["title"] == "Tauride story file"
    assert capsys.readouterr().err == f"wrote {schema}\n"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(schema.stat().st_mode) == 0o666 & ~mask  # not the temporary file's 0600
    mermaid = tmp_path / "maps" / "story.mmd"
    assert main(["map", str(folder), "-o", str(mermaid)]) == 0
    assert mermaid.read_text().startswith("flowchart")
    assert capsys.readouterr().err == f"map written to {mermaid}\n"


def test_emit_writes_text_or_bytes_whole_and_replaces_an_old_file(tmp_path, capsysbinary):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    emit(b"\x89PNG\r\n", str(target))
    assert target.read_bytes() == b"\x89PNG\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]  # no temporary file left beside it
    emit("caf\u00e9\n", None)
    emit(b"\x00\x01", "-")
    assert capsysbinary.readouterr().out == "caf\u00e9\n".encode() + b"\x00\x01"


def test_write_shared_raises_the_one_root(tmp_path):
    with pytest.raises(OutputError, match="is a folder"):
        write_shared(tmp_path, "x")


def test_walk_and_new_name_what_they_cannot_write(folder, tmp_path, capsys):
    assert main(["walk", str(folder), "-n", "5", "--json", str(tmp_path)]) == 1
    assert f"tauride: {tmp_path}: is a folder" in capsys.readouterr().err
    report = tmp_path / "reports" / "walk.json"
    assert main(["walk", str(folder), "-n", "5", "--json", str(report)]) == 0
    assert json.loads(report.read_text())["runs"] == 5
    assert capsys.readouterr().err == f"report written to {report}\n"
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    assert main(["new", str(a_file / "story")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"tauride: {a_file / 'story'}: could not write the new story there (") and "Traceback" not in err


@pytest.mark.parametrize("flag", ["-n", "--max-steps", "--max-paths"])
def test_walk_refuses_counts_below_one(flag, folder, capsys):
    assert main(["walk", str(folder), flag, "0"]) == 1
    assert "must be at least 1 (got 0)" in capsys.readouterr().err
