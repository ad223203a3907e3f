"""``fzcheck serve``: the reviewer's desk in a browser (optional extra ``fzcheck[serve]``).

A local web page to drop a region's reports on, read each with its findings beside the text,
overrule a call and print. :func:`run` starts it; :func:`fzcheck.app.serve.web.create_app`
makes the application (for tests and other ASGI servers).
"""
from __future__ import annotations

import os
import secrets
import sys

MISSING = ("fzcheck serve needs the optional packages of the 'serve' extra: "
           "pip install \"fzcheck[serve]\" (starlette, uvicorn, jinja2, python-multipart)")


def available() -> str | None:
    """None when the serve extra is installed, else what to install."""
    try:
        import jinja2  # noqa: F401
        import multipart  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        return MISSING
    return None


def run(host: str = "127.0.0.1", port: int = 8765, data: str | None = None, open_browser: bool = False,
        token: str | None = None, rules: str | None = None, profile: str | None = None, jobs: int | None = None,
        max_bytes: int | None = None, timeout: float | None = None, echo=print) -> None:
    import uvicorn

    from fzcheck.app.serve.store import default_data_dir
    from fzcheck.app.serve.web import create_app, is_loopback
    from fzcheck.readers import DEFAULT_MAX_BYTES

    data_dir = data or str(default_data_dir())
    if not is_loopback(host) and not token:
        token = secrets.token_urlsafe(18)
        echo(f"fzcheck serve: listening on {host}, beyond this machine: every request needs a token. "
             "Generated one (give --token T to choose it).")
    app = create_app(data_dir, token=token, host=host, rules=rules, profile=profile, jobs=jobs,
                     max_bytes=max_bytes or DEFAULT_MAX_BYTES, timeout=timeout)
    shown = "localhost" if host in ("127.0.0.1", "::1") else ("<this machine's address>" if host in ("0.0.0.0", "::")
                                                               else host)
    url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/" + (f"?token={token}" if token else "")
    echo(f"fzcheck serve: data in {os.path.abspath(data_dir)}")
    echo(f"fzcheck serve: open {url}   (Ctrl+C stops; confirmed reviews are saved)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, lambda: webbrowser.open(url.replace("localhost", "127.0.0.1"))).start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(0)
