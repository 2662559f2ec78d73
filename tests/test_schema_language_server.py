"""The YAML language server, driven over stdio as an editor drives it, agrees with the loader on the edge cases.

`scripts/test` installs `yaml-language-server` from npm into `.tools/` (as CI
does); this test finds it there or on PATH. It opens each edge case of
`test_schema_agrees.py` as a document with the schema named in its first line
and compares the server's diagnostics with the loader's verdict.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from test_schema_agrees import EDGE_CASES, loader_shape_problems

from game.story.schema import json_schema_text

ROOT = Path(__file__).resolve().parent.parent


def _server() -> str | None:
    local = ROOT / ".tools" / "node_modules" / ".bin" / "yaml-language-server"
    return str(local) if local.exists() else shutil.which("yaml-language-server")


class Lsp:
    """A minimal Language Server Protocol client: framed JSON over the server's stdin and stdout."""

    def __init__(self, command: list[str]):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 0

    def send(self, method: str, params: Any, request: bool = False) -> int | None:
        msg: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        rid = None
        if request:
            self.next_id += 1
            rid = msg["id"] = self.next_id
        body = json.dumps(msg).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()
        return rid

    def read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise EOFError("the language server stopped")
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        data: dict[str, Any] = json.loads(self.proc.stdout.read(length))
        if "id" in data and "method" in data:  # a request from the server (configuration, registration): answer it
            result: Any = [{"validate": True, "schemas": {}}] if data["method"] == "workspace/configuration" else None
            body = json.dumps({"jsonrpc": "2.0", "id": data["id"], "result": result}).encode()
            assert self.proc.stdin is not None
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()
        return data

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)


def test_the_language_server_agrees_with_the_loader_on_every_edge_case(tmp_path: Path) -> None:
    server = _server()
    if server is None:
        pytest.skip("yaml-language-server is not installed (scripts/test installs it from npm into .tools/)")
    schema = tmp_path / "schema.json"
    schema.write_text(json_schema_text(), encoding="utf-8")
    lsp = Lsp([server, "--stdio"])
    try:
        lsp.send("initialize", {"processId": os.getpid(), "rootUri": tmp_path.as_uri(), "capabilities": {}},
                 request=True)
        while "result" not in lsp.read():
            pass
        lsp.send("initialized", {})
        lsp.send("workspace/didChangeConfiguration", {"settings": {"yaml": {"validate": True, "schemas": {}}}})
        disagreements = []
        for k, (label, text, valid) in enumerate(EDGE_CASES):
            assert (loader_shape_problems("story.yaml", text) == []) is valid
            doc = tmp_path / f"case{k}.yaml"
            content = f"# yaml-language-server: $schema={schema.as_uri()}\n" + text.decode()
            doc.write_text(content, encoding="utf-8")
            lsp.send("textDocument/didOpen", {"textDocument": {"uri": doc.as_uri(), "languageId": "yaml", "version": 1,
                                                                "text": content}})
            deadline = time.monotonic() + 30
            diagnostics = None
            while diagnostics is None and time.monotonic() < deadline:
                msg = lsp.read()
                if msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] == doc.as_uri():
                    diagnostics = msg["params"]["diagnostics"]
            assert diagnostics is not None, f"{label}: no diagnostics from the server"
            if (diagnostics == []) is not valid:
                disagreements.append((label, valid, [d["message"] for d in diagnostics]))
        assert disagreements == []
    finally:
        lsp.close()
