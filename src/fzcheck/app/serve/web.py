"""The web application of ``fzcheck serve`` (Starlette): pages, the JSON the page polls, downloads.

Safe on an intranet: a token when bound beyond loopback (or when given), the Host header
checked on loopback (no DNS rebinding), the Origin checked on every request that changes
something, request bodies capped, every page under a Content-Security-Policy that allows
only the page's own script and style files, and all report text escaped (Jinja2 autoescape,
``textContent`` in the script).
"""
from __future__ import annotations

import asyncio
import concurrent.futures as cf
import ipaddress
import json
import multiprocessing as mp
import os
import secrets
import sys
import threading
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from starlette.applications import Starlette
from starlette.datastructures import Headers, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from fzcheck.app.serve import review as rv
from fzcheck.app.serve.store import DECISIONS, DONE, ERROR, Store
from fzcheck.app.serve.ui import js_words, translate
from fzcheck.app.serve.uploads import MAX_FILES, MAX_REQUEST_BYTES, entries
from fzcheck.app.serve.work import annotated_docx, check_file, init_worker, ruleset_for
from fzcheck.readers import DEFAULT_MAX_BYTES

HERE = Path(__file__).parent
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}
TOKEN_COOKIE = "fzcheck_token"
LANG_COOKIE = "fzcheck_lang"


def status_marks() -> str:
    """The marks of the one status table (render/common.STATUS) for the page's script."""
    import json

    from fzcheck.render.common import STATUS

    return json.dumps({status: look.mark for status, look in STATUS.items()}, ensure_ascii=False)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value[: value.find("]") + 1]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


# -- the server's state ---------------------------------------------------------------------------

class Checker:
    """The worker pool: the same engine as the CLI, on processes of their own.

    A worker that dies (a crash in a parser, the OOM killer) breaks a ProcessPoolExecutor for
    good: every file in flight fails and so would every later one. So the broken pool is ended
    and a fresh one made at once (as :mod:`fzcheck.app.batch` does for the CLI: its workers
    killed, then a new pool), and the files that were in flight are checked again one at a time
    in a worker of their own: the file that kills that worker again gets its own error row, the
    others their results. (batch.py's pool serves one synchronous run over a known list of files
    with its own worker function; here files arrive at any time and finish through callbacks, so
    only the recipe and the row's message are shared.)
    """

    def __init__(self, store: Store, rules: str | None, profile: str | None, jobs: int, max_bytes: int,
                 check=check_file, timeout: float | None = None):
        self.store, self.rules, self.profile, self.max_bytes = store, rules, profile, max_bytes
        self.timeout = timeout  # seconds a report may take (None: the CLI's default)
        self.jobs = max(1, jobs)
        self.check = check  # a picklable function with check_file's signature (tests put a crash in it)
        self.lock = threading.Lock()
        self.closed = False
        self.generation = 0
        self.pool = self._new_pool(self.jobs)
        self.isolation: cf.ThreadPoolExecutor | None = None  # one thread re-checking suspects one by one
        self.ruleset = ruleset_for(rules)
        self._solo: cf.ProcessPoolExecutor | None = None
        threading.Thread(target=self._watch, name="fzcheck-watch", daemon=True).start()

    def _new_pool(self, jobs: int) -> cf.ProcessPoolExecutor:
        method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        return cf.ProcessPoolExecutor(jobs, mp_context=mp.get_context(method), initializer=init_worker,
                                      initargs=(self.rules, 5))

    def submit(self, batch: str, n: int, stored: str, name: str, lang: str) -> None:
        job = (batch, n, stored, name, lang)
        with self.lock:
            if self.closed:
                return  # the row stays queued and is checked at the next start
            generation = self.generation
            try:
                fut = self.pool.submit(self.check, stored, name, self.rules, lang, self.max_bytes, self.profile,
                                    self.timeout)
            except BrokenProcessPool:  # broken a moment ago, before its callbacks ran
                fut = None
            except RuntimeError:  # shutting down
                return
        if fut is None:
            self._broken(generation)
            self._isolate(job)
            return
        fut.add_done_callback(lambda f: self._done(job, generation, f))

    def _done(self, job: tuple, generation: int, fut: cf.Future) -> None:
        batch, n, _stored, _name, lang = job
        try:
            out = fut.result()
        except cf.CancelledError:
            return  # stays queued
        except BrokenProcessPool:  # a worker died: this file or one beside it killed it
            self._broken(generation)
            self._isolate(job)
            return
        except Exception as exc:  # noqa: BLE001 - the answer could not come back: the row says so
            out = {"error": f"internal error: the checker stopped on this file ({exc.__class__.__name__})"}
        self._store(batch, n, out)

    def _store(self, batch: str, n: int, out: dict[str, Any]) -> None:
        try:
            if self.store.batch(batch) is None:
                return  # deleted meanwhile
            if "error" in out:
                if out.get("trace"):
                    print(f"fzcheck serve: {batch[:6]}…/{n}: {out['error']}\n{out['trace']}", file=sys.stderr)
                self.store.finish(batch, n, None, out["error"])
            else:
                self.store.finish(batch, n, out, None, summary(out["result"]))
        except Exception as exc:  # noqa: BLE001 - pragma: no cover - the store is gone (server stopping)
            print(f"fzcheck serve: cannot store a result: {exc}", file=sys.stderr)

    def _broken(self, generation: int) -> None:
        """The pool of ``generation`` is broken: end it and make a new one (once per generation)."""
        with self.lock:
            if self.closed or generation != self.generation:
                return
            old, self.pool = self.pool, self._new_pool(self.jobs)
            self.generation += 1
        _end(old)
        print("fzcheck serve: a checking process died; started a new pool, re-checking its files one by one",
              file=sys.stderr)

    def _watch(self) -> None:
        """Every POLL seconds, whether a worker of the pool (or of the one-file pool) has ended.
        The executor notices a dead worker itself, except when it was killed while writing its
        answer: then the executor's thread waits for the rest of that answer for ever (CPython
        3.11), no file in flight ever finishes, and the server would hang at exit. Ending the
        pool (end_executor closes that pipe) makes its futures broken: their files are checked
        again one by one, as for any dead worker."""
        import time

        from fzcheck.app.batch import POLL, lost_a_worker

        while not self.closed:
            time.sleep(POLL)
            with self.lock:
                pool, generation = self.pool, self.generation
            if lost_a_worker(pool):
                self._broken(generation)
            solo = self._solo
            if solo is not None and lost_a_worker(solo):
                _end(solo)  # its waiting file gets BrokenProcessPool: a row saying the worker died

    def _isolate(self, job: tuple) -> None:
        with self.lock:
            if self.closed:
                return
            if self.isolation is None:
                self.isolation = cf.ThreadPoolExecutor(1, thread_name_prefix="fzcheck-isolate")
            try:
                self.isolation.submit(self._check_alone, job)
            except RuntimeError:  # shutting down
                pass

    def _check_alone(self, job: tuple) -> None:
        """One suspect file in a worker of its own (on the isolation thread)."""
        batch, n, stored, name, lang = job
        if self.closed or self.store.batch(batch) is None:
            return
        if self._solo is None:
            self._solo = self._new_pool(1)
        try:
            out = self._solo.submit(self.check, stored, name, self.rules, lang, self.max_bytes, self.profile,
                                    self.timeout).result()
        except BrokenProcessPool:
            _end(self._solo)
            self._solo = None
            from fzcheck.i18n import t

            out = {"error": t("run.worker_died", lang)}
        except Exception as exc:  # noqa: BLE001 - shutting down, or the answer could not come back
            if self.closed:
                return
            out = {"error": f"internal error: the checker stopped on this file ({exc.__class__.__name__})"}
        self._store(batch, n, out)

    def resume(self) -> int:
        """Check what was still queued when the server last stopped."""
        pending = self.store.pending()
        for batch, n, name, stored, lang in pending:
            if stored and os.path.exists(stored):
                self.submit(batch, n, stored, name, lang)
            else:
                self.store.finish(batch, n, None, "the uploaded file is gone; upload it again")
        return len(pending)

    def run(self, fn, *args) -> cf.Future:
        """Another job for the workers (the Word copy), on the current pool."""
        with self.lock:
            return self.pool.submit(fn, *args)

    def close(self) -> None:
        with self.lock:
            self.closed = True
        self.pool.shutdown(wait=False, cancel_futures=True)
        if self.isolation is not None:
            self.isolation.shutdown(wait=False, cancel_futures=True)
            solo = getattr(self, "_solo", None)
            if solo is not None:
                _end(solo)


def _end(pool: cf.ProcessPoolExecutor) -> None:
    """End a pool now: kill its workers (a broken pool's others may still be busy), never wait
    for their work; its manager thread is ended too (see :func:`fzcheck.app.batch.end_executor`)."""
    from fzcheck.app.batch import end_executor

    end_executor(pool)


def summary(result: dict[str, Any]) -> dict[str, Any]:
    meta = result.get("meta") or {}
    return {"score": result["score"], "grade": result["grade"], "passed": result["passed"],
            "unit": meta.get("unit"), "title": meta.get("title"), "year": result.get("year"),
            "status": {r["id"]: r["status"] for r in result["results"]},
            "columns": [[r["id"], r.get("title_zh") or r["title"], r.get("title_en") or r["title"], r["severity"]]
                        for r in result["results"]]}


# -- the application ----------------------------------------------------------------------------

class Guard:
    """Host, token, Origin and body-size checks, and the security headers of every answer."""

    def __init__(self, app, token: str | None, loopback: bool, max_body: int):
        self.app, self.token, self.loopback, self.max_body = app, token, loopback, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        host = headers.get("host", "")

        async def send_secured(message):
            if message["type"] == "http.response.start":
                hs = list(message.get("headers", []))
                have = {k.lower() for k, _ in hs}
                extra = [(b"content-security-policy", PAGE_CSP.encode()), (b"x-content-type-options", b"nosniff"),
                         (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY"),
                         (b"cross-origin-opener-policy", b"same-origin")]
                if not scope["path"].startswith("/static/"):
                    extra.append((b"cache-control", b"no-store"))
                hs += [(k, v) for k, v in extra if k not in have]
                message = {**message, "headers": hs}
            await send(message)

        if self.loopback and _host_name(host) not in LOOPBACK_NAMES:
            return await PlainTextResponse("unknown host name for a server on loopback", 421)(scope, receive,
                                                                                              send_secured)
        if self.token:
            request = Request(scope)
            given = request.query_params.get("token")
            if given is not None and secrets.compare_digest(given.encode(), self.token.encode()):
                rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                target = scope["path"] + ("?" + urlencode(rest) if rest else "")
                resp = RedirectResponse(target, 303)
                resp.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                return await resp(scope, receive, send_secured)
            held = request.cookies.get(TOKEN_COOKIE) or ""
            auth = headers.get("authorization", "")
            if auth.lower().startswith("bearer "):
                held = auth[7:].strip()
            if not secrets.compare_digest(held.encode(), self.token.encode()):
                lang = "en" if request.cookies.get(LANG_COOKIE) == "en" else "zh"
                return await PlainTextResponse(translate("token_needed", lang), 401)(scope, receive, send_secured)
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            origin = headers.get("origin")
            # (the pages send their referrer to their own origin only, so a form of ours has an Origin)
            if origin and (origin == "null" or urlsplit(origin).netloc.lower() != host.lower()):
                return await PlainTextResponse("cross-origin request refused", 403)(scope, receive, send_secured)
        length = headers.get("content-length")
        if length and length.isdigit() and int(length) > self.max_body:
            return await PlainTextResponse("request too large", 413)(scope, receive, send_secured)
        seen = [0]

        async def receive_capped():
            message = await receive()
            if message["type"] == "http.request":
                seen[0] += len(message.get("body", b""))
                if seen[0] > self.max_body:
                    raise HTTPException(413, "request too large")
            return message

        return await self.app(scope, receive_capped, send_secured)


def create_app(data_dir: str | os.PathLike[str], token: str | None = None, host: str = "127.0.0.1",
               rules: str | None = None, profile: str | None = None, jobs: int | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES, check=None, timeout: float | None = None) -> Starlette:
    """The application; ``token`` is required on every request when given. ``check`` replaces the
    workers' function (a picklable one with :func:`check_file`'s signature; tests crash a worker with it).
    ``timeout`` is the seconds one report may take (None: the CLI's default; 0: no limit)."""
    store = Store(data_dir)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True)
    state: dict[str, Any] = {}

    def checker() -> Checker:
        if "checker" not in state:
            from fzcheck.app.batch import cpu_count

            state["checker"] = Checker(store, rules, profile, jobs or min(4, cpu_count()), max_bytes,
                                       check or check_file, timeout)
        return state["checker"]

    def lang_of(request: Request) -> str:
        q = request.query_params.get("lang")
        if q in ("zh", "en"):
            return q
        return "en" if request.cookies.get(LANG_COOKIE) == "en" else "zh"

    def page(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
        lang = lang_of(request)

        def w(key: str, **kw) -> str:
            return translate(key, lang, **kw)

        other = "en" if lang == "zh" else "zh"
        html = env.get_template(name).render(w=w, lang=lang, other_lang=other, path=request.url.path,
                                             js_words=json.dumps(js_words(lang), ensure_ascii=False).replace("<", "\\u003c"),
                                             **ctx)
        resp = HTMLResponse(html, status)
        if request.query_params.get("lang") in ("zh", "en"):
            resp.set_cookie(LANG_COOKIE, lang, samesite="strict", max_age=365 * 86400)
        return resp

    def batch_or_404(request: Request) -> dict[str, Any]:
        b = store.batch(request.path_params["batch"])
        if b is None:
            raise HTTPException(404, translate("not_found", lang_of(request)))
        return b

    def doc_or_404(request: Request):
        b = batch_or_404(request)
        d = store.doc(b["id"], request.path_params["n"])
        if d is None:
            raise HTTPException(404, translate("not_found", lang_of(request)))
        return b, d

    # -- pages ---------------------------------------------------------------------------------
    async def index(request: Request):
        return page(request, "index.html")

    async def batch_page(request: Request):
        b = batch_or_404(request)
        return page(request, "batch.html", batch=b["id"], docx=annotate_available(), marks=status_marks())

    async def report_page(request: Request):
        b, d = doc_or_404(request)
        lang = b["lang"]
        if d.state != DONE:
            return page(request, "pending.html", batch=b["id"], doc=d)
        reviews = store.reviews(b["id"], d.n).get(d.n, {})
        reviewed = rv.reviewed(d.data["result"], reviews, checker().ruleset, lang)
        model = rv.page_model(d.data, reviewed, reviews, lang, lambda k, **kw: translate(k, lang, **kw))
        return page(request, "report.html", batch=b["id"], doc=d, result=d.data["result"], reviewed=reviewed,
                    model=model, reviews=reviews, result_lang=lang, docx=annotate_available() and _is_docx(d),
                    error=request.query_params.get("error", ""))

    # -- the batch: upload, progress, delete ------------------------------------------------------
    async def receive_files(request: Request, batch: str, lang: str) -> list[int]:
        try:
            form = await request.form(max_files=MAX_FILES, max_fields=20)
        except HTTPException:
            raise
        except Exception as exc:  # noqa: BLE001
            raise HTTPException(400, f"cannot read the upload: {exc}") from None
        try:
            files = [v for k, v in form.multi_items() if k == "files" and isinstance(v, UploadFile)]
            have = len(store.docs(batch, with_data=False))
            if have + len(files) > MAX_FILES:
                raise HTTPException(400, f"more than {MAX_FILES} files in one batch")
            added = []
            for f in files:
                data = await f.read(max_bytes + 1)
                for e in entries(f.filename or "", data, len(data) > max_bytes, max_bytes):
                    if have + len(added) >= MAX_FILES:
                        e.content, e.error = None, f"more than {MAX_FILES} files in one batch; not checked"
                    n, stored = store.add_doc(batch, e.name, e.content, e.suffix, e.error)
                    if stored:
                        checker().submit(batch, n, stored, e.name, lang)
                    added.append(n)
            return added
        finally:
            await form.close()

    async def create_batch(request: Request):
        lang = lang_of(request)
        batch = store.new_batch(lang)
        try:
            added = await receive_files(request, batch, lang)
        except HTTPException:
            store.delete_batch(batch)
            raise
        return JSONResponse({"id": batch, "url": f"/b/{batch}", "added": added}, 201)

    async def add_files(request: Request):
        b = batch_or_404(request)
        added = await receive_files(request, b["id"], b["lang"])
        return JSONResponse({"id": b["id"], "added": added}, 201)

    async def progress(request: Request):
        b = batch_or_404(request)
        rows, columns = [], None
        for d in store.docs(b["id"], with_data=False):
            row: dict[str, Any] = {"n": d.n, "name": d.name, "state": d.state, "error": d.error}
            if d.summary:
                s = dict(d.summary)
                cols = s.pop("columns")
                if columns is None or len(cols) > len(columns):
                    columns = cols
                row.update(s)
                if d.reviewed:
                    row["reviewed"] = d.reviewed
            rows.append(row)
        done = sum(1 for r in rows if r["state"] in (DONE, ERROR))
        lang = lang_of(request)
        cols = [{"id": c[0], "title": c[2] if lang == "en" else c[1], "severity": c[3]} for c in columns or []]
        return JSONResponse({"id": b["id"], "total": len(rows), "done": done, "rows": rows, "columns": cols})

    async def delete_batch(request: Request):
        b = batch_or_404(request)
        store.delete_batch(b["id"])
        if request.method == "DELETE":
            return Response(status_code=204)
        return page(request, "deleted.html")

    # -- reviews -----------------------------------------------------------------------------------
    async def post_review(request: Request):
        b, d = doc_or_404(request)
        if d.state != DONE:
            raise HTTPException(409, "the report is not checked yet")
        if "json" in request.headers.get("content-type", ""):
            body = await request.json()
        else:
            body = dict(await request.form(max_files=0, max_fields=10))
        rule = str(body.get("rule") or "")
        item = str(body.get("item") or "") or None
        decision = str(body.get("decision") or "")
        reason = " ".join(str(body.get("reason") or "").split())[:1000]
        known = {r["id"]: {i["id"] for i in r.get("items") or []} for r in d.data["result"]["results"]}
        if rule not in known or (item is not None and item not in known[rule]) \
                or decision not in DECISIONS + ("undo",):
            raise HTTPException(400, "unknown rule, item or decision")
        key = rv.review_key(rule, item)
        wants_json = "application/json" in request.headers.get("accept", "")
        if decision == "overrule" and not reason:
            if wants_json:
                return JSONResponse({"error": translate("need_reason", b["lang"])}, 400)
            q = urlencode({"error": "reason"})
            return RedirectResponse(f"/b/{b['id']}/r/{d.n}?{q}#rule-{quote(rule)}", 303)
        store.set_review(b["id"], d.n, key, None if decision == "undo" else decision, reason)
        reviews = store.reviews(b["id"], d.n).get(d.n, {})
        rd = rv.reviewed(d.data["result"], reviews, checker().ruleset, b["lang"])
        has_overrule = any(r["decision"] == "overrule" for r in reviews.values())
        store.set_reviewed(b["id"], d.n, {"score": rd.score, "grade": rd.grade, "passed": rd.passed,
                                          "overrules": sum(r["decision"] == "overrule" for r in reviews.values())}
                           if has_overrule else None)
        if wants_json:
            credit = next((r.credit for r in rd.results if r.id == rule), None)
            return JSONResponse({"rule": rule, "item": item, "decision": decision, "score": rd.score,
                                 "grade": rd.grade, "passed": rd.passed, "credit": credit})
        return RedirectResponse(f"/b/{b['id']}/r/{d.n}#rule-{quote(rule)}", 303)

    # -- downloads ---------------------------------------------------------------------------------
    def report_of(b: dict[str, Any], docs, reviewed_too: bool = True):
        from fzcheck.render import Report

        lang = b["lang"]
        reviews = store.reviews(b["id"])
        documents, errors = [], []
        for d in docs:
            if d.state == DONE:
                documents.append(rv.reviewed(d.data["result"], reviews.get(d.n, {}) if reviewed_too else {},
                                             checker().ruleset, lang))
            elif d.state == ERROR:
                errors.append({"path": d.name, "error": d.error})
        rs = checker().ruleset
        return Report(rs.id, rs.version, documents, errors), reviews

    def attachment(body: str | bytes, media: str, filename: str, inline: bool = False) -> Response:
        disp = "inline" if inline else "attachment"
        resp = Response(body, media_type=media)
        resp.headers["content-disposition"] = f"{disp}; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
        return resp

    def gap_html(report, lang: str) -> Response:
        from fzcheck.render.html import CSP, render

        resp = attachment(render(report, lang), "text/html; charset=utf-8", "fzcheck-gap-report.html", inline=True)
        resp.headers["content-security-policy"] = CSP  # the printed report's own policy: no script at all
        return resp

    def docs_for(request: Request, b):
        n = request.path_params.get("n")
        if n is None:
            return store.docs(b["id"])
        d = store.doc(b["id"], n)
        if d is None:
            raise HTTPException(404, translate("not_found", lang_of(request)))
        return [d]

    async def download(request: Request):
        b = batch_or_404(request)
        kind = request.path_params["kind"]
        docs = docs_for(request, b)
        lang = b["lang"]
        stem = "fzcheck" if request.path_params.get("n") is None else f"fzcheck-{request.path_params['n']}"
        if kind == "gap.html":
            report, _ = report_of(b, docs)
            return gap_html(report, lang)
        if kind == "matrix.csv":
            from fzcheck.render.summary import render_csv

            report, _ = report_of(b, docs)
            return attachment(render_csv(report, lang), "text/csv; charset=utf-8", f"{stem}-matrix.csv")
        if kind == "results.json":
            from fzcheck.render.jsonfmt import render

            report, _ = report_of(b, docs, reviewed_too=False)
            return attachment(render(report, lang), "application/json", f"{stem}-results.json")
        if kind == "reviewed.json":
            from fzcheck.render.jsonfmt import to_dict

            report, reviews = report_of(b, docs)
            out = to_dict(report, lang)
            originals = [d for d in docs if d.state == DONE]
            out["documents"] = [rv.review_json(d.data["result"], rd, reviews.get(d.n, {}), lang)
                                for d, rd in zip(originals, report.documents)]
            return attachment(rv.dumps(out), "application/json", f"{stem}-reviewed.json")
        if kind == "waivers.yaml":
            reviews = store.reviews(b["id"])
            text = rv.waivers_yaml([(d.name, reviews.get(d.n, {})) for d in docs], b["id"])
            return attachment(text, "application/yaml; charset=utf-8", "waivers.yaml")
        if kind == "annotated.docx" and len(docs) == 1:
            return await annotated(b, docs[0])
        raise HTTPException(404, translate("not_found", lang_of(request)))

    async def annotated(b, d) -> Response:
        """The Word copy with comments (fzcheck annotate), the overrules applied as waivers."""
        if annotate_function() is None or d.state != DONE or not _is_docx(d):
            raise HTTPException(404, "no Word copy for this report")
        reviews = store.reviews(b["id"], d.n).get(d.n, {})
        ck = checker()
        fut = ck.run(annotated_docx, d.stored, ck.rules, b["lang"], ck.max_bytes, ck.profile,
                             rv.as_waivers(reviews))
        data = await asyncio.wrap_future(fut)
        if isinstance(data, str):
            raise HTTPException(422, data)
        name = os.path.splitext(os.path.basename(d.name))[0] + ".reviewed.docx"
        return attachment(data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", name)

    async def not_found(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"error": exc.detail}, exc.status_code)
        return page(request, "error.html", status=exc.status_code, message=exc.detail)

    routes = [
        Route("/", index),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/api/batches", create_batch, methods=["POST"]),
        Route("/api/b/{batch}", progress),
        Route("/api/b/{batch}", delete_batch, methods=["DELETE"], name="delete_api"),
        Route("/api/b/{batch}/files", add_files, methods=["POST"]),
        Route("/b/{batch}", batch_page),
        Route("/b/{batch}/delete", delete_batch, methods=["POST"]),
        Route("/b/{batch}/r/{n:int}", report_page),
        Route("/b/{batch}/r/{n:int}/review", post_review, methods=["POST"]),
        Route("/b/{batch}/r/{n:int}/{kind}", download),
        Route("/b/{batch}/{kind}", download),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]

    async def startup():
        checker().resume()

    async def shutdown():
        if "checker" in state:
            state["checker"].close()
        store.close()

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app):
        await startup()
        yield
        await shutdown()

    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found}, lifespan=lifespan)
    loopback = is_loopback(host)
    app.add_middleware(Guard, token=token, loopback=loopback, max_body=MAX_REQUEST_BYTES)
    app.state.store = store
    app.state.checker = checker
    return app


def _is_docx(d) -> bool:
    return bool(d.stored) and d.stored.lower().endswith(".docx")


def annotate_function():
    """``fzcheck annotate``'s function (Word copy with comments), when it and python-docx are here."""
    try:
        from fzcheck.render import annotate

        annotate.require_docx()
    except Exception:  # noqa: BLE001
        return None
    return getattr(annotate, "annotate_to_bytes", None)


def annotate_available() -> bool:
    return annotate_function() is not None
