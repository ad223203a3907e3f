"""Command line: `fzcheck check`, `fzcheck explain`, `fzcheck rules …`."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable

import click

from fzcheck import __version__
from fzcheck.errors import EXIT_ERROR, EXIT_GATE, EXIT_OK, FzError
from fzcheck.i18n import LANGS
from fzcheck.render import FORMATS

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def fail(message: str) -> "NoReturn":  # type: ignore[name-defined]  # noqa: F821
    click.echo(f"fzcheck: {message}", err=True)
    sys.exit(EXIT_ERROR)


def write_output(text: str | Iterable[str | bytes], output: str | None, inputs: Iterable[str] = ()) -> None:
    """Print, or write the named file (never what it must not be: see fzcheck.app.output).
    ``text`` may come in pieces (str, or bytes in UTF-8)."""
    from fzcheck.app.output import write_output as _write

    _write(text, output, inputs)


class FzGroup(click.Group):
    """Turns the errors users can act on into one line on stderr and exit code 2. Commands
    named in ``LAZY_COMMANDS`` are imported only when run or listed in the help."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, name: str):
        command = super().get_command(ctx, name)
        if command is None and name in LAZY_COMMANDS:
            import importlib

            module, _, attr = LAZY_COMMANDS[name].partition(":")
            command = getattr(importlib.import_module(module), attr)
            self.add_command(command, name)
        return command

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FzError as exc:
            click.echo(f"fzcheck: {_shown(str(exc))}", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=FzGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="fzcheck")
def cli() -> None:
    """fzcheck — 法治政府建设年度报告合规检查 / compliance checker for annual reports on
    building rule-of-law government."""


def _shown(text: str) -> str:
    from fzcheck.app.batch import printable_path

    return printable_path(text)


def _parse_size(value: str) -> int:
    """A size with its unit: 20MB, 500KB, 1G, 1000B (bytes). A bare number is refused with
    the reason (--max-size 10 is not 10 bytes by accident)."""
    from fzcheck.i18n import msg

    text = str(value).strip().upper()
    scale = None
    for suffix, mult in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("G", 1 << 30), ("M", 1 << 20),
                         ("K", 1 << 10), ("B", 1)):
        if text.endswith(suffix):
            text, scale = text[: -len(suffix)].strip(), mult
            break
    try:
        number = float(text) * (scale or 1)
        if not (0 <= number < 1 << 50):  # NaN, infinity, negative, absurd
            raise ValueError
    except (ValueError, OverflowError):
        raise click.BadParameter(msg("cli.size", value=value)) from None
    if scale is None:
        raise click.BadParameter(msg("cli.size_unit", value=str(value).strip()))
    return int(number)


def _size_option(ctx, param, value):
    return None if value is None else _parse_size(value)


def _set_lang(ctx, param, value):
    """--lang is read first (eager): every later error line is in that language."""
    from fzcheck.i18n import set_message_lang

    set_message_lang(value or "zh")
    return value


def _parse_seconds(ctx, param, value):
    if value is None:
        return None
    import math

    if not math.isfinite(value) or value < 0 or value > 86400:
        from fzcheck.i18n import msg

        raise click.BadParameter(msg("cli.seconds", value=f"{value:g}"))
    return value


def _parse_memory(ctx, param, value):
    if value is None:
        return None
    if str(value).strip() in ("0", "none", "off"):
        return 0
    size = _parse_size(value)
    if size < 64 << 20:
        from fzcheck.i18n import msg

        raise click.BadParameter(msg("cli.memory_min", value=value))
    return size


def _parse_threshold(ctx, param, value):
    if value is None:
        return None
    import math

    if not math.isfinite(value) or not 0 <= value <= 100:
        from fzcheck.i18n import msg

        raise click.BadParameter(msg("cli.threshold", value=f"{value:g}"))
    return value


# -o FILE: the format its extension names (check and diff)
EXTENSIONS = {".html": "html", ".htm": "html", ".json": "json", ".md": "markdown", ".markdown": "markdown",
              ".sarif": "sarif", ".xml": "junit", ".csv": "csv", ".txt": "text"}


def output_format(output: str | None, fmt: str, given: bool, allowed: Iterable[str]) -> str:
    """The format to write: the one the output's extension names when --format was not given
    (-o gap.html writes HTML), else --format; a given format the extension contradicts is
    refused in one line. An unknown extension keeps the format."""
    if not output or output == "-":
        return fmt
    ext = os.path.splitext(output)[1].lower()
    named = EXTENSIONS.get(ext)
    if named is None or named not in allowed or named == fmt:
        if given and named is not None and named != fmt:
            from fzcheck.i18n import msg

            fail(msg("cli.format_mismatch", output=output, ext=named, fmt=fmt))
        return fmt
    if given:
        from fzcheck.i18n import msg

        fail(msg("cli.format_mismatch", output=output, ext=named, fmt=fmt))
    return named


AS_REPORT_HELP = ("Score every file as an annual report, even one whose title or opening names another kind of "
                  "document (述法报告, 政务公开年报, 实施方案 …): the reviewer's call.")


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True)
@click.option("-r", "--rules", "rules", metavar="FILE|NAME", help="Rule set file or shipped name (default: annual-report).")
@click.option("-f", "--format", "fmt", default="text", show_default=True,
              type=click.Choice(list(FORMATS)), help="Output format.")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True, help="Language of the report.",
              is_eager=True, callback=_set_lang)
@click.option("--fail-under", type=float, metavar="N", callback=_parse_threshold,
              help="Score threshold of the gate, 0 to 100 (overrides the rule set).")
@click.option("-o", "--output", metavar="FILE",
              help="Write the report to FILE (atomically); its extension names the format (.html, .md, .json …).")
@click.option("--waivers", metavar="FILE", help="YAML file of waived rules (rule, reason, expires, files).")
@click.option("--profile", metavar="NAME|auto",
              help="Kind of reporting unit: township, county, department, or auto (from the title).")
@click.option("--config", "config_path", metavar="FILE", help="Configuration file (default: fzcheck.yaml found upward).")
@click.option("--max-size", default="20MB", show_default=True, callback=_size_option, metavar="SIZE",
              help="Largest input file accepted, with its unit (20MB, 500KB; 1000B for bytes).")
@click.option("-j", "--jobs", default="1", show_default=True, metavar="N",
              help="Check files on N processes (0 or auto: one per core).")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: on a terminal).")
@click.option("--summary", is_flag=True,
              help="One row per report, one column per rule, sorted by score (text, csv, html, json, markdown).")
@click.option("--timeout", type=float, default=30.0, show_default=True, metavar="SECONDS", callback=_parse_seconds,
              help="Time for one report (reading, normalizing, matching); 0: no limit.")
@click.option("--max-memory", default="1GB", show_default=True, metavar="SIZE", callback=_parse_memory,
              help="Memory for one report; 0: no limit.")
@click.option("--gaps-only", is_flag=True,
              help="Only what is missing or partial, why, how to fix it and its basis (text, markdown, html).")
@click.option("--info", "show_info", is_flag=True, help="SARIF: info rules that are not met as notes.")
@click.option("--as-report", is_flag=True, help=AS_REPORT_HELP)
def check(paths, rules, fmt, lang, fail_under, output, waivers, profile, config_path, max_size, jobs, color,
          summary, timeout, max_memory, gaps_only, show_info, as_report):
    """Check reports (files or folders) and print the gap report.

    Exit code 0: every report passes; 1: a report fails the gate (score below the
    threshold or a required rule failed); 2: usage, input or rule-set error.
    """
    from fzcheck.readers import iter_report_files
    from fzcheck.render import Report, render

    from fzcheck.app.config import from_click

    settings, _ = from_click(click.get_current_context(), config_path)  # command line > config file > default
    fmt, lang, profile = settings["format"].value, settings["lang"].value, settings["profile"].value
    from fzcheck.i18n import set_message_lang

    set_message_lang(lang)
    from fzcheck.i18n import msg

    if summary:  # the summary's renderers only when asked for
        from fzcheck.render.summary import SUMMARY_FORMATS, render_summary
    fmt = output_format(output, fmt, settings["format"].source != "default",
                        SUMMARY_FORMATS if summary else FORMATS)
    if summary and fmt not in SUMMARY_FORMATS:
        fail(msg("cli.summary_formats", formats=", ".join(SUMMARY_FORMATS), fmt=fmt))
    as_rows = summary or fmt == "csv"  # a summary's rows: only what they read is kept
    if as_rows:
        from fzcheck.render.summary import for_summary
    if gaps_only and fmt not in GAPS_FORMATS:
        fail(msg("cli.gaps_formats", formats=", ".join(GAPS_FORMATS), fmt=fmt))
    ruleset, options = check_setup(settings, max_size)
    options.as_report = as_report
    documents, errors = [], []
    files = iter_report_files(list(paths), warn=lambda p, m: click.echo(f"fzcheck: {_shown(p)}: {m}", err=True))
    if not files:
        fail(msg("cli.no_files", paths=", ".join(_shown(p) for p in paths)))
    from fzcheck.app.batch import Limits, check_files, parse_jobs
    from fzcheck.app.output import prepare

    target = prepare(output, files)  # a folder, the input, a block device: refused before any work
    _started(len(files))
    limits = Limits(timeout=timeout or None, max_memory=max_memory or None)
    from fzcheck.app.progress import Progress

    report = Report(ruleset.id, ruleset.version, documents, errors, gaps_only=gaps_only, show_info=show_info)
    if profile:
        report.profile = {"requested": profile, "source": options.profile_source}
    # JSON goes out document by document, each encoded where it was checked (--jobs)
    stream = fmt == "json" and not summary
    if stream:
        from fzcheck.render.jsonfmt import JsonDocument, json_report
    passed: list[bool] = []
    # the progress bar: on stderr, for a batch on a terminal, never over a report being printed
    tty = bool(sys.stdout is not None and sys.stdout.isatty())
    bar = Progress(len(files), enabled=False if stream and not output and tty else None)

    def checked():
        with bar:
            for done in check_files(files, ruleset, options, parse_jobs(jobs), bar,
                                    JsonDocument(lang) if stream else for_summary if as_rows else None, limits):
                if done.error is not None:  # a bug or a bad file must not lose the rest
                    errors.append({"path": done.path, "error": done.error})
                    bar.clear()
                    click.echo(f"{_shown(done.path)}: {_shown(done.error)}", err=True)
                    continue
                passed.append(done.passed)
                if stream:
                    yield done.encoded
                else:
                    documents.append(done.encoded if as_rows else done.result)

    if stream:
        target.write(json_report(report, lang, checked()))
    else:
        for _ in checked():
            pass
        use_color = color if color is not None else (not output and tty)
        colored = bool(use_color and fmt == "text")
        text = render_summary(report, fmt, lang, colored) if summary else render(report, fmt, lang, colored)
        if fmt == "text":  # a report's own control characters never reach the reviewer's terminal
            from fzcheck.app.output import neutralise_terminal

            text = neutralise_terminal(text)
        target.write(text)
    if _STARTUP_GC:  # the last collection, at exit, has only this run's objects to look at
        import gc

        gc.freeze()
        if len(files) <= 1:  # one report, no worker: main may end the process at once
            _QUICK_EXIT[:] = [True]
    if errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_OK if all(passed) else EXIT_GATE)


# `fzcheck check` run as a program (main): the cyclic garbage collector is off while modules,
# the rule set and the caches load (everything made then lives to the end: the collections
# it ran there, ~2 ms, and the one at exit over all of it, ~3 ms, found nothing). For a batch,
# those objects are then set aside (gc.freeze) and it runs as usual on the documents; a single
# document is checked with it still off (~25 collections, ~2 ms, that would free next to
# nothing: its own cycles, sections and their parts, live until the report is written).
_STARTUP_GC: list[bool] = []


def _started(files: int) -> None:
    """The rule set and options are loaded, ``files`` are to be checked: for more than one,
    collect as usual from here, over what comes next."""
    if _STARTUP_GC and not _STARTUP_GC[0]:
        _STARTUP_GC[0] = True
        if files <= 1:
            return
        import gc

        from fzcheck.perf.cache import preload

        preload()  # the caches the first pattern would read: loaded now, set aside with the rest
        gc.freeze()
        gc.enable()


# A check of one report, run as the program itself (the fzcheck script or python -m fzcheck):
# once the report is written, the output flushed and the exit handlers run (the caches'
# writes), the process ends with os._exit instead of tearing the interpreter down object by
# object (~3 ms of freeing modules, the rule set and the compiled patterns that the system
# takes back at once anyway). Not for a batch (its worker pool ends in the interpreter's own
# shutdown), nor when main is called from other code (it may go on after SystemExit).
_QUICK_EXIT: list[bool] = []


def _is_program() -> bool:
    """Whether this process runs fzcheck as its program: __main__ is the fzcheck script or
    fzcheck/__main__.py, the file sys.argv[0] names."""
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    return bool(main_file) and bool(sys.argv) and sys.argv[0] == main_file


def _exit_now(code: object) -> None:
    """End the process with ``code`` now, as the interpreter would at exit (output flushed,
    exit handlers run), or return when that cannot be done the same way (then SystemExit
    goes on as usual: a closed pipe, another thread, an exit code that is not a number)."""
    if code is None:
        code = 0
    if not isinstance(code, int) or isinstance(code, bool) or not 0 <= code <= 255:
        return
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return
    streams = [s for s in (sys.stdout, sys.stderr) if s is not None]
    try:
        for stream in streams:
            stream.flush()
    except (OSError, ValueError):  # a closed pipe …: reported by the interpreter, as before
        return
    import atexit

    atexit._run_exitfuncs()  # the caches' writes (and any other handler), as at exit
    try:
        for stream in streams:
            stream.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)


GAPS_FORMATS = ("text", "markdown", "html")


def check_setup(settings, max_bytes: int):
    """The rule set and the options of a check from the effective settings (command line >
    configuration file > default): one set-up for check, diff and annotate, so that all three
    give one score for one file under one configuration."""
    from fzcheck.engine.check import Options
    from fzcheck.rules.load import load_ruleset

    ruleset = load_ruleset(settings["rules"].value)
    options = Options(lang=settings["lang"].value, fail_under=settings["threshold"].value, max_bytes=max_bytes)
    profile = settings["profile"].value
    if profile:
        from fzcheck.rules.profiles import check_requested

        check_requested(ruleset, profile)
        options.profile = profile
        source = settings["profile"].source
        options.profile_source = source if source == "command line" else f"config {source}"
    waivers = settings["waivers"].value
    if waivers:
        from fzcheck.engine.waivers import load_waivers

        options.waivers = load_waivers(waivers)
        _warn_waivers(options.waivers, ruleset)
    return ruleset, options


def _warn_waivers(waivers, ruleset) -> None:
    from fzcheck.engine.waivers import expired, unknown_rules
    from fzcheck.i18n import msg

    for w in expired(waivers):
        click.echo(f"fzcheck: {msg('cli.waiver_expired', source=w['source'], rule=w['rule'], date=w['expires'].isoformat())}",
                   err=True)
    for w in unknown_rules(waivers, ruleset):
        click.echo(f"fzcheck: {msg('cli.waiver_unknown', source=w['source'], rule=w['rule'], ruleset=ruleset.id)}",
                   err=True)


# commands whose modules are imported only when they run (or the help lists them):
# a `fzcheck check` never pays for them
LAZY_COMMANDS = {
    "annotate": "fzcheck.app.annotate_cmd:annotate",
    "config": "fzcheck.app.commands:config_cmd",
    "diff": "fzcheck.app.commands:diff_cmd",
    "explain": "fzcheck.app.commands:explain",
    "rules": "fzcheck.app.commands:rules",
    "serve": "fzcheck.app.serve.command:serve",  # needs the 'serve' extra
}


class Terminated(KeyboardInterrupt):
    """SIGTERM (a CI job cancelled): ends the run like Ctrl-C, cleaning up as it goes."""


def _on_sigterm(signum, frame):
    raise Terminated()


def _safe_streams() -> None:
    """A terminal that cannot show every character (GBK, Latin-1 …) gets escapes, not a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError, AttributeError):
                pass


def _stop(code: int, line: str | None = None) -> "NoReturn":  # type: ignore[name-defined]  # noqa: F821
    if line:
        try:
            click.echo(f"fzcheck: {line}", err=True)
        except Exception:  # noqa: BLE001 - the stream itself may be gone
            pass
    raise SystemExit(code)


def main() -> None:
    import _signal  # the module signal wraps (its enums cost 0.4 ms to build): the same call

    _safe_streams()
    try:
        _signal.signal(_signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError):  # pragma: no cover - not the main thread
        pass
    argv = sys.argv[1:]
    if argv[:1] == ["check"]:
        import gc

        gc.disable()  # until _started (check)
        _STARTUP_GC[:] = [False]
    if not argv or "--help" in argv or "-h" in argv:  # the help page in the chosen language
        from fzcheck.app import helptext

        if helptext.lang_of(argv) == "zh":
            helptext.localize(cli, argv)
    try:
        code = cli.main(standalone_mode=False)
        if isinstance(code, int) and code:  # ctx.exit(N) returns N without standalone mode
            sys.exit(code)
    except click.exceptions.Abort as exc:
        _interrupted(isinstance(exc.__cause__ or exc.__context__, Terminated))
    except KeyboardInterrupt as exc:
        _interrupted(isinstance(exc, Terminated))
    except click.ClickException as exc:
        try:
            click.echo(f"fzcheck: {usage_line(exc)}", err=True)
        except Exception:  # noqa: BLE001
            pass
        sys.exit(EXIT_ERROR)
    except FzError as exc:
        fail(_shown(str(exc)))
    except SystemExit as exc:
        if _QUICK_EXIT and _is_program():
            _exit_now(exc.code)
        raise
    except BrokenPipeError:
        sys.exit(EXIT_ERROR)
    except MemoryError:
        from fzcheck.i18n import msg

        _stop(EXIT_ERROR, msg("run.memory", mb=0).split("（")[0])
    except RecursionError:
        from fzcheck.i18n import msg

        _stop(EXIT_ERROR, msg("in.too_complex", what="nesting"))
    except Exception as exc:  # noqa: BLE001 - the promise: one line, exit 2, never a traceback
        if os.environ.get("FZCHECK_DEBUG"):
            raise
        from fzcheck.i18n import msg

        _stop(EXIT_ERROR, msg("run.bad_value", what=_shown(f"{type(exc).__name__}: {exc}".splitlines()[0][:200])))


def usage_line(exc: click.ClickException) -> str:
    """A click error as one line in the language of error lines (Chinese by default), with
    the command to ask for help; never click's four lines of usage."""
    from fzcheck.i18n import msg

    if isinstance(exc, click.NoSuchOption):
        text = msg("cli.no_such_option", name=exc.option_name)
        if exc.possibilities:
            text += msg("cli.did_you_mean", names=", ".join(sorted(exc.possibilities)))
    elif isinstance(exc, click.MissingParameter):
        param = exc.param
        what = (param.human_readable_name if param is not None else "") or (exc.param_type or "")
        text = msg("cli.missing", what=what)
    elif isinstance(exc, click.BadParameter):
        param = exc.param
        name = (param.get_error_hint(exc.ctx) if param is not None and exc.ctx is not None else exc.param_hint) or ""
        message = exc.message
        if param is not None and isinstance(param.type, click.Choice):
            value = message.split("'")[1] if message.count("'") >= 2 else message
            message = msg("cli.choice", value=value, choices=", ".join(param.type.choices))
        text = msg("cli.bad_value", param=str(name).replace("'", ""), message=message)
    elif isinstance(exc, click.BadOptionUsage) and "requires an argument" in exc.message:
        text = msg("cli.needs_value", name=exc.option_name)
    elif isinstance(exc, click.UsageError) and exc.message.startswith("Got unexpected extra argument"):
        text = msg("cli.extra_args", args=exc.message.split("(", 1)[-1].rstrip(")"))
    elif isinstance(exc, click.UsageError) and exc.message.startswith("No such command"):
        text = msg("cli.no_command", name=exc.message.split("'")[1] if "'" in exc.message else exc.message)
    else:
        text = exc.format_message()
    text = " ".join(str(text).split())
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        root = ctx.find_root().command_path  # "python -m fzcheck" names itself fzcheck
        text = msg("cli.usage", message=text, command="fzcheck" + ctx.command_path[len(root):])
    return text


def _interrupted(term: bool) -> "NoReturn":  # type: ignore[name-defined]  # noqa: F821
    """Ctrl-C or SIGTERM: one line, and out at once (no pool shutdown to wait for)."""
    from fzcheck.i18n import msg

    if "fzcheck.app.batch" in sys.modules:
        sys.modules["fzcheck.app.batch"].kill_all()  # no worker outlives the run
    try:
        click.echo(f"fzcheck: {msg('run.interrupted')}", err=True)
        sys.stderr.flush()
        if sys.stdout is not None:
            sys.stdout.flush()
    except Exception:  # noqa: BLE001
        pass
    os._exit(143 if term else 130)


if __name__ == "__main__":  # pragma: no cover
    main()
