"""`fzcheck annotate`: the reviewer's marked-up copy of each report (a .docx with comments).

The work is done by :mod:`fzcheck.render.annotate`; this module picks the files, decides
where each copy goes and writes it safely:

* default output: ``<stem>.reviewed.docx`` beside the report (a folder's reports each get
  theirs beside them); ``-o FILE.docx`` for one report, ``-o DIR`` for several (the folder
  structure under each given folder is kept);
* a copy is written to a temporary file in the same folder and moved into place, so a
  failed run never leaves half a document; the report itself is never written, nor is a
  pipe, device or other special file;
* a report that cannot be read gets the usual one-line error and the batch goes on (exit 2
  at the end); ``*.reviewed.docx`` files in a folder are fzcheck's copies and are skipped.
"""
from __future__ import annotations

import os
import sys

import click

from fzcheck.errors import EXIT_ERROR, EXIT_OK, FzError
from fzcheck.i18n import LANGS, t

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes_atomically(data: bytes, output: str, source: str) -> None:
    """Write `data` to `output` with the shared writer (fzcheck.app.output): atomically, never
    over `source`, a folder or a block device; a symlink is written through."""
    from fzcheck.app.output import prepare

    prepare(output, [source], streams=False).write(data)  # a .docx never goes into a device or pipe


def plan_outputs(paths: list[str], output: str | None) -> list[tuple[str, str]]:
    """(report, copy) pairs for the given files and folders."""
    from fzcheck.readers import iter_report_files
    from fzcheck.render.annotate import SUFFIX, default_output

    pairs: list[tuple[str, str, str]] = []  # (report, path relative to the given folder, or name)
    for p in paths:
        if os.path.isdir(p):
            for f in iter_report_files([p]):
                if not f.lower().endswith(SUFFIX):
                    pairs.append((f, os.path.relpath(f, p), p))
        else:
            pairs.append((p, os.path.basename(p), ""))
    several = len(pairs) > 1 or any(os.path.isdir(p) for p in paths)
    out: list[tuple[str, str]] = []
    for report, rel, _folder in pairs:
        if output is None:
            out.append((report, default_output(report)))
        elif several or os.path.isdir(output):
            out.append((report, os.path.join(output, default_output(rel))))
        else:
            out.append((report, output))
    return out


def _parse_size(value: str) -> int:
    text = value.strip().upper()
    scale = 1
    for suffix, mult in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("G", 1 << 30), ("M", 1 << 20),
                         ("K", 1 << 10), ("B", 1)):
        if text.endswith(suffix):
            text, scale = text[: -len(suffix)], mult
            break
    try:
        return int(float(text) * scale)
    except ValueError:
        raise click.BadParameter(f"not a size: {value!r} (e.g. 20MB)") from None


@click.command("annotate", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", metavar="OUT.docx|DIR",
              help="Where the marked-up copy goes (default: <stem>.reviewed.docx beside the report); "
                   "a folder for several reports.")
@click.option("--author", default="fzcheck", show_default=True, help="Author of the comments.")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True, help="Language of the comments.")
@click.option("-r", "--rules", "rules", metavar="FILE|NAME", help="Rule set file or shipped name (as for check).")
@click.option("--profile", metavar="NAME|auto", help="Kind of reporting unit: township, county, department, or auto.")
@click.option("--waivers", metavar="FILE", help="YAML file of waived rules and items (as for check).")
@click.option("--fail-under", type=float, metavar="N", help="Score threshold of the gate (as for check).")
@click.option("--config", "config_path", metavar="FILE", help="Configuration file (default: fzcheck.yaml found upward).")
@click.option("--max-size", default="20MB", show_default=True, help="Largest input file accepted.")
@click.option("--as-report", is_flag=True, help="Score it as an annual report whatever kind of document its title names (as for check).")
def annotate(paths, output, author, lang, rules, profile, waivers, fail_under, config_path, max_size, as_report):
    """The reviewer's marked-up copy: each report as a Word document with every finding as
    a comment on its sentence (credited, not counted and why, missing at the heading of its
    part, and the score on the title). Needs the `annotate` extra (python-docx >= 1.2).
    Reads the configuration and takes --rules, --profile, --waivers, --fail-under and --lang
    like check: the title's score and gate are check's for the same file and settings.

    Exit code 0: every copy was written; 2: a report could not be read or written.
    """
    from fzcheck.render.annotate import MissingExtra, annotate as make, require_docx

    try:
        require_docx()
    except MissingExtra as exc:
        click.echo(f"fzcheck: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    from fzcheck.app.cli import _parse_threshold, check_setup
    from fzcheck.app.config import from_click
    from fzcheck.i18n import set_message_lang

    ctx = click.get_current_context()
    _parse_threshold(ctx, None, fail_under)  # 0-100, as check says it
    # command line > configuration file (fzcheck.yaml found upward, or --config) > default: the
    # same settings as `fzcheck check`, so the title comment's score is check's
    settings, _ = from_click(ctx, config_path)
    lang = settings["lang"].value
    set_message_lang(lang)
    ruleset, options = check_setup(settings, _parse_size(max_size))
    options.as_report = as_report
    jobs = plan_outputs(list(paths), output)
    if not jobs:
        raise FzError("no report files found in " + ", ".join(paths))
    if output and (len(jobs) > 1 or any(os.path.isdir(p) for p in paths)):
        os.makedirs(output, exist_ok=True)
    errors = 0
    for report, target in jobs:
        try:
            os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
            done = make(report, ruleset, options, author=author)
            write_bytes_atomically(done.data, target, report)
        except FzError as exc:
            errors += 1
            click.echo(f"fzcheck: {exc if exc.path else f'{report}: {exc}'}", err=True)
            continue
        except Exception as exc:  # noqa: BLE001 - a bug or a hostile file must not lose the rest
            errors += 1
            click.echo(f"fzcheck: {report}: internal error: {type(exc).__name__}: {exc}", err=True)
            continue
        click.echo(t("ann.written", lang, src=report, out=target, n=done.comments))
    sys.exit(EXIT_ERROR if errors else EXIT_OK)
