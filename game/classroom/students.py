"""Who a classroom student is: one folder per student, and the PIN that proves a returning student.

A name is what the student types; a *key* is what identifies them. The key
is the name in Unicode NFKC form, case-folded, with runs of spaces made one:
`Anna`, `ANNA` and `anna` next lesson are one student, while `A/B` and
`A_B`, or `Anna.` and `Anna`, are two. A name that could pass for another
is refused with the position of the offending character: control and
format characters (bidi overrides, zero-width spaces and joiners) and a
name mixing alphabets that share look-alike letters (a Cyrillic `А` in a
Latin `Anna`).

The folder is a readable prefix of the key followed by a hash of the whole
key, so two names can never share a folder by being cut to the same length
or by being made safe the same way (`a3f…` below is that hash):

    saves/<class>/anna-a3f9c2d1e8b07f64/

Folders made before this scheme (named by `safe_folder_name` alone) are
moved into the new folder the first time their student signs in (see
`claim_folder`: a folder named by their very name, or whose saves name
them; never one another name merely made alike), so their saves follow them. The name a student signs in
with is noted in the folder (`.tauride/name`), so the teacher's view can
show it before their first save, which carries it from then on.

What proves a returning student is a PIN they choose at their first
sign-in. It is stored as an scrypt hash with a salt of its own in the
student's folder (`.tauride/pin`, hidden from the class report), compared
in constant time. A teacher resets a forgotten PIN by deleting that file
(`tauride serve --reset-pin NAME` does it and says where); the student then
chooses a new one, and keeps every save.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import ClassroomError
from ..saves import safe_folder_name, write_atomic

MAX_NAME_CHARS = 64
"""Longest name, in characters after normalisation: a full name fits, a pasted essay does not."""
PREFIX_BYTES = 40
"""How much of the key shows in the folder name, in UTF-8 bytes; the hash after it is what tells folders apart."""
HASH_CHARS = 16
"""Hex digits of the key's SHA-256 in the folder name: 64 bits, no collision in any school."""
PRIVATE = ".tauride"
"""The student's private sub-folder (PIN, settings): hidden, so the class report and the saves list skip it."""
PIN_DIGITS = (4, 8)
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
"""scrypt's cost: about 16 MiB and a few tens of milliseconds per check on a classroom laptop."""
EAST_ASIAN = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "IDEOGRAPHIC"})
"""Scripts written together in one name (Japanese mixes three); none looks like a Latin, Greek or Cyrillic letter."""
_KINDS = {"Cc": "a control character", "Cf": "an invisible formatting character", "Cs": "a broken character",
          "Co": "a private-use character", "Cn": "an unassigned character"}


class BadName(ValueError):
    """A name that cannot identify a student; the message says which character and why."""


@dataclass(frozen=True)
class Student:
    """A name as the student typed it (tidied), and the key that identifies them."""

    name: str
    """NFKC form with single spaces: shown on the title screen and written into saves."""
    key: str
    """`name` case-folded: equal keys are the same student."""

    @property
    def folder_name(self) -> str:
        """A readable prefix and a hash of the whole key: never shared by two keys."""
        digest = hashlib.sha256(self.key.encode("utf-8")).hexdigest()[:HASH_CHARS]
        try:
            readable = safe_folder_name(self.key)
        except ValueError:
            readable = "student"  # a name of symbols only: the hash alone tells it apart
        cut = readable.encode("utf-8")[:PREFIX_BYTES].decode("utf-8", errors="ignore").rstrip(". ") or "student"
        return f"{cut}-{digest}"


def _script(ch: str) -> str | None:
    """The script a letter belongs to, read off its Unicode name ('CYRILLIC CAPITAL LETTER A' → 'CYRILLIC')."""
    if not unicodedata.category(ch).startswith("L"):
        return None
    return unicodedata.name(ch, "UNKNOWN").split(" ")[0]


def student(raw: str) -> Student:
    """The student a typed name means; BadName (a ValueError) with a positioned reason otherwise."""
    text = unicodedata.normalize("NFKC", raw)
    for i, ch in enumerate(text, 1):
        kind = _KINDS.get(unicodedata.category(ch))
        if kind and ch not in "\t\n\r":
            raise BadName(f"character {i} of the name is {kind} (U+{ord(ch):04X}); type the name with letters only")
    name = " ".join(text.split())
    if not any(unicodedata.category(ch)[0] in "LN" for ch in name):
        raise BadName("give a name with at least one letter or digit")
    if len(name) > MAX_NAME_CHARS:
        raise BadName(f"the name is {len(name)} characters long; keep it to {MAX_NAME_CHARS}")
    first: dict[str, int] = {}
    for i, ch in enumerate(name, 1):
        script = _script(ch)
        if script and script not in EAST_ASIAN:
            first.setdefault(script, i)
    if len(first) > 1:
        (a, _), (b, at) = sorted(first.items(), key=lambda kv: kv[1])[:2]
        raise BadName(f"the name mixes {a.title()} and {b.title()} letters (character {at}, "
                         f"'{name[at - 1]}', is {b.title()}); type it in one alphabet")
    return Student(name, name.casefold())


def student_folder(group: Path, who: Student) -> Path:
    """Where this student's saves live in a class's folder."""
    return group / who.folder_name


def claim_folder(group: Path, who: Student) -> Path:
    """The student's folder, after moving a folder of the older scheme into it if there is one.

    Before, a folder was `safe_folder_name(name)`. That folder moves (one rename,
    nothing copied or lost) when it is this student's (`_made_by`), the new folder
    does not exist yet, and it is not itself a new-scheme folder.
    """
    folder = student_folder(group, who)
    if folder.exists():
        return folder
    try:
        legacy = group / safe_folder_name(who.name)
    except ValueError:
        return folder
    if legacy != folder and legacy.is_dir() and not (legacy / PRIVATE).exists() and _made_by(legacy, who):
        try:
            os.rename(legacy, folder)
        except OSError:
            pass  # left where it was: the class report still reads it
    return folder


LEGACY_SAVES_READ = 50
"""At most this many saves of an older folder are read for the name of the student who made it."""


def _made_by(legacy: Path, who: Student) -> bool:
    """Whether a folder of the older scheme is this student's, not merely named alike once made safe.

    `safe_folder_name` made many names one folder ("Anna Petrova", "Anna Petrova." and "/Anna Petrova"
    all made "Anna Petrova"; "Anna/Petrova" made "Anna_Petrova"), so that it would fit is no proof: another
    student typing a look-alike name would have been handed the folder and every save in it. The folder is
    theirs when its name is their name (case and spacing aside), or when a save in it names them: every
    classroom save records who played it.
    """
    if _same_student(legacy.name, who):
        return True
    from ..saves import SaveError, read_file

    for path in sorted(legacy.glob("*.json"))[:LEGACY_SAVES_READ]:
        try:
            meta = read_file(path).get("meta")
        except SaveError:
            continue
        if isinstance(meta, dict) and _same_student(meta.get("student") or meta.get("name"), who):
            return True
    return False


def _same_student(name: object, who: Student) -> bool:
    try:
        return isinstance(name, str) and student(name).key == who.key
    except BadName:
        return False


# ---------------------------------------------------------------- PINs
def check_pin_format(pin: str) -> str:
    """The PIN, if it is 4 to 8 digits (ASCII); ValueError saying what a PIN is otherwise."""
    pin = pin.strip()
    low, high = PIN_DIGITS
    if not (low <= len(pin) <= high and pin.isascii() and pin.isdigit()):
        raise ValueError(f"a PIN is {low} to {high} digits (0-9)")
    return pin


def pin_file(folder: Path) -> Path:
    return folder / PRIVATE / "pin"


def settings_file(folder: Path) -> Path:
    """The student's own settings (theme, width…) in served mode: nobody else's choice changes them."""
    return folder / PRIVATE / "settings.json"


def name_file(folder: Path) -> Path:
    """The name the student last signed in with: the folder's name is a key and a hash, not a name to show,
    and until their first save (which carries the name) nothing else in the folder says who they are."""
    return folder / PRIVATE / "name"


def keep_name(folder: Path, who: Student) -> None:
    """Note the name `who` signed in with, written only when it is new or typed otherwise (one write per
    student, not one per sign-in)."""
    if signed_in_name(folder) != who.name:
        write_atomic(name_file(folder), who.name + "\n")


def signed_in_name(folder: Path) -> str | None:
    """The name noted at sign-in in this student's folder; None when there is none (a folder from before
    names were noted) or it cannot be read."""
    try:
        with name_file(folder).open("rb") as fh:
            name = fh.read(4 * MAX_NAME_CHARS + 1).decode("utf-8").strip()  # a name is at most 4 bytes a character
    except (OSError, UnicodeDecodeError):
        return None
    return name[:MAX_NAME_CHARS] or None


def _hash(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=64 * 1024 * 1024)


def has_pin(folder: Path) -> bool:
    return pin_file(folder).is_file()


def pin_record(pin: str) -> str:
    """What is stored for a PIN: its scrypt hash with a new salt (the PIN itself is never written).

    Apart from `write_pin` so a server can hash (slow on purpose) while other students sign in.
    """
    pin = check_pin_format(pin)
    salt = secrets.token_bytes(16)
    record = {"format": "tauride-pin", "version": 1, "scrypt": SCRYPT, "salt": salt.hex(),
              "hash": _hash(pin, salt, **SCRYPT).hex()}
    return json.dumps(record) + "\n"


def write_pin(folder: Path, record: str) -> None:
    write_atomic(pin_file(folder), record)


def set_pin(folder: Path, pin: str) -> None:
    write_pin(folder, pin_record(pin))


class PinFileError(ClassroomError):
    """The stored PIN cannot be read; the teacher resets it."""


def pin_matches(folder: Path, pin: str) -> bool:
    """True when `pin` is the one stored for this student; compared in constant time."""
    try:
        record = json.loads(pin_file(folder).read_text(encoding="utf-8"))
        cost = {k: int(record["scrypt"][k]) for k in ("n", "r", "p")}
        if not (2 <= cost["n"] <= 2**20 and 1 <= cost["r"] <= 32 and 1 <= cost["p"] <= 16):
            raise ValueError("cost out of range")
        salt, stored = bytes.fromhex(record["salt"]), bytes.fromhex(record["hash"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PinFileError(f"the stored PIN cannot be read ({type(exc).__name__})") from None
    try:
        typed = _hash(pin.strip(), salt, **cost) if pin.strip().isascii() else b""
    except ValueError:
        return False
    return hmac.compare_digest(typed, stored)


def reset_pin(folder: Path) -> bool:
    """Forget a student's PIN (their saves stay); they choose a new one at their next sign-in."""
    try:
        pin_file(folder).unlink()
        return True
    except FileNotFoundError:
        return False
