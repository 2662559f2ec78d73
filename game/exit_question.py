"""The exit question: one question asked at the end of a session, its answer kept in the save.

A teacher's lesson ends with an exit ticket ("Was the Soviet's refusal to
take power a mistake?"). `--exit-question TEXT` asks it when the session
ends — the class app when the teacher quits — and the save keeps both the
question and the answer in its meta, where the report reads them. One home
for the key and the reading, so every shell and the report agree.
"""

from __future__ import annotations

from typing import Any, Mapping

META_KEY = "exit_question"
MAX_QUESTION = 500
"""A question, not an essay: longer text is refused with the length."""


def check_question(text: str) -> str:
    """The question as given on the command line, tidied; ValueError says what is wrong."""
    question = " ".join(text.split())
    if not question:
        raise ValueError("the exit question is empty")
    if len(question) > MAX_QUESTION:
        raise ValueError(f"the exit question is {len(question)} characters long; keep it under {MAX_QUESTION}")
    return question


def from_option(text: str | None) -> str | None:
    """`--exit-question` as every command takes it: None when not given; ValueError names the option."""
    if text is None:
        return None
    try:
        return check_question(text)
    except ValueError as err:
        raise ValueError(f"--exit-question: {err}") from None


def record(meta: dict[str, Any], question: str, answer: str | None) -> None:
    """Keep the question and its answer (None: asked, not answered) in a save's meta."""
    meta[META_KEY] = {"question": question, "answer": answer}


def answered(meta: Mapping[str, Any] | None) -> tuple[str, str | None] | None:
    """(question, answer) a save recorded, or None when no exit question was asked."""
    value = (meta or {}).get(META_KEY)
    if not isinstance(value, dict) or not isinstance(value.get("question"), str):
        return None
    answer = value.get("answer")
    return value["question"], answer if isinstance(answer, str) and answer.strip() else None
