"""Batches, results and reviews of ``fzcheck serve``, kept in SQLite under the data folder.

A batch is reachable only by its id (``secrets.token_urlsafe``); there is no listing. The
uploaded files sit beside the database under ``files/<batch>/<n><suffix>`` (never under a
name from the upload). Every write is committed before the request that made it answers, so
stopping the server never loses a review the page already showed as saved.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
  id TEXT PRIMARY KEY, created REAL NOT NULL, lang TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
  batch TEXT NOT NULL, n INTEGER NOT NULL, name TEXT NOT NULL, stored TEXT,
  state TEXT NOT NULL, error TEXT, data TEXT, summary TEXT, reviewed TEXT, created REAL NOT NULL,
  finished REAL, PRIMARY KEY (batch, n));
CREATE TABLE IF NOT EXISTS reviews (
  batch TEXT NOT NULL, n INTEGER NOT NULL, rule TEXT NOT NULL, decision TEXT NOT NULL,
  reason TEXT NOT NULL, at REAL NOT NULL, PRIMARY KEY (batch, n, rule));
"""

QUEUED, DONE, ERROR = "queued", "done", "error"
DECISIONS = ("agree", "overrule")
_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/fzcheck``, else ``~/.local/share/fzcheck`` (``%APPDATA%\\fzcheck`` on Windows)."""
    base = os.environ.get("XDG_DATA_HOME")
    if not base and os.name == "nt":
        base = os.environ.get("APPDATA")
    return Path(base or Path.home() / ".local" / "share") / "fzcheck"


def _dump(value: Any) -> str | None:
    return json.dumps(value, ensure_ascii=False) if value is not None else None


def valid_id(batch: str) -> bool:
    return bool(_ID.match(batch or ""))


@dataclass
class Doc:
    batch: str
    n: int
    name: str
    stored: str | None
    state: str
    error: str | None
    data: dict[str, Any] | None
    summary: dict[str, Any] | None = None  # score, grade, gate, unit, statuses (for the matrix)
    reviewed: dict[str, Any] | None = None  # the same after the overrules, when there are some


class Store:
    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            os.chmod(self.root, 0o700)  # other people's reports: not for other users of the machine
        except OSError:
            pass
        self.files = self.root / "files"
        self.files.mkdir(exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.root / "fzcheck-serve.sqlite3", check_same_thread=False,
                                   isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _q(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # -- batches ------------------------------------------------------------------------------
    def new_batch(self, lang: str) -> str:
        batch = secrets.token_urlsafe(24)
        self._q("INSERT INTO batches (id, created, lang) VALUES (?, ?, ?)", (batch, time.time(), lang))
        (self.files / batch).mkdir()
        return batch

    def batch(self, batch: str) -> dict[str, Any] | None:
        if not valid_id(batch):
            return None
        rows = self._q("SELECT id, created, lang FROM batches WHERE id = ?", (batch,))
        return {"id": rows[0][0], "created": rows[0][1], "lang": rows[0][2]} if rows else None

    def delete_batch(self, batch: str) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            for table, col in (("reviews", "batch"), ("docs", "batch"), ("batches", "id")):
                self._db.execute(f"DELETE FROM {table} WHERE {col} = ?", (batch,))
            self._db.execute("COMMIT")
        if valid_id(batch):
            shutil.rmtree(self.files / batch, ignore_errors=True)

    # -- documents ----------------------------------------------------------------------------
    def add_doc(self, batch: str, name: str, content: bytes | None, suffix: str = "",
                error: str | None = None) -> tuple[int, str | None]:
        """A new row: the file stored under a name of ours (queued), or an error row."""
        with self._lock:
            n = (self._q("SELECT COALESCE(MAX(n), 0) FROM docs WHERE batch = ?", (batch,))[0][0] or 0) + 1
            stored = None
            if error is None and content is not None:
                path = self.files / batch / f"{n}{suffix}"
                with open(path, "wb") as fh:
                    fh.write(content)
                stored = str(path)
            self._q("INSERT INTO docs (batch, n, name, stored, state, error, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (batch, n, name, stored, QUEUED if error is None else ERROR, error, time.time()))
        return n, stored

    def finish(self, batch: str, n: int, data: dict[str, Any] | None, error: str | None,
               summary: dict[str, Any] | None = None) -> None:
        self._q("UPDATE docs SET state = ?, error = ?, data = ?, summary = ?, finished = ? WHERE batch = ? AND n = ?",
                (ERROR if error else DONE, error, _dump(data), _dump(summary), time.time(), batch, n))

    def set_reviewed(self, batch: str, n: int, summary: dict[str, Any] | None) -> None:
        self._q("UPDATE docs SET reviewed = ? WHERE batch = ? AND n = ?", (_dump(summary), batch, n))

    _COLS = "batch, n, name, stored, state, error, {data}, summary, reviewed"

    def docs(self, batch: str, with_data: bool = True) -> list[Doc]:
        cols = self._COLS.format(data="data" if with_data else "NULL")
        return [self._doc(r) for r in self._q(f"SELECT {cols} FROM docs WHERE batch = ? ORDER BY n", (batch,))]

    def doc(self, batch: str, n: int) -> Doc | None:
        rows = self._q(f"SELECT {self._COLS.format(data='data')} FROM docs WHERE batch = ? AND n = ?", (batch, n))
        return self._doc(rows[0]) if rows else None

    @staticmethod
    def _doc(row: tuple) -> Doc:
        return Doc(*row[:6], *(json.loads(v) if v else None for v in row[6:9]))

    def pending(self) -> list[tuple[str, int, str, str, str]]:
        """Rows left queued when the server last stopped: (batch, n, name, stored, lang)."""
        return [tuple(r) for r in self._q(
            "SELECT d.batch, d.n, d.name, d.stored, b.lang FROM docs d JOIN batches b ON b.id = d.batch "
            "WHERE d.state = ? ORDER BY d.created", (QUEUED,))]

    # -- reviews ------------------------------------------------------------------------------
    def set_review(self, batch: str, n: int, rule: str, decision: str | None, reason: str = "") -> None:
        if decision is None:
            self._q("DELETE FROM reviews WHERE batch = ? AND n = ? AND rule = ?", (batch, n, rule))
            return
        self._q("INSERT OR REPLACE INTO reviews (batch, n, rule, decision, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
                (batch, n, rule, decision, reason, time.time()))

    def reviews(self, batch: str, n: int | None = None) -> dict[int, dict[str, dict[str, Any]]]:
        """{n: {rule: {"decision", "reason", "at"}}}"""
        sql = "SELECT n, rule, decision, reason, at FROM reviews WHERE batch = ?"
        args: tuple = (batch,)
        if n is not None:
            sql += " AND n = ?"
            args += (n,)
        out: dict[int, dict[str, dict[str, Any]]] = {}
        for dn, rule, decision, reason, at in self._q(sql + " ORDER BY at", args):
            out.setdefault(dn, {})[rule] = {"decision": decision, "reason": reason, "at": at}
        return out
