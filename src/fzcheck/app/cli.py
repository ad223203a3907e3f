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


def _output_mode(path: str) -> int:
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_output(text: str | Iterable[str | bytes], output: str | None) -> None:
    """Print, or write a file atomically: a failed run never leaves half a report.
    ``text`` may come in pieces (str, or bytes in UTF-8): a file is written as they come,
    stdout once all came."""
    if not output or output == "-":
        if not isinstance(text, str):
            text = "".join(p.decode("utf-8") if isinstance(p, bytes) else p for p in text)
        click.echo(text, nl=False)
        return
    import tempfile

    directory = os.path.dirname(os.path.abspath(output))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".fzcheck-", dir=directory)
    except OSError as exc:
        raise FzError(f"cannot write the output: {exc.strerror or exc}", output) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for piece in [text] if isinstance(text, str) else text:
                if isinstance(piece, bytes):
                    if os.linesep == "\n":  # already UTF-8: straight to the file
                        fh.flush()
                        fh.buffer.write(piece)
                        continue
                    piece = piece.decode("utf-8")
                fh.write(piece)
        os.chmod(tmp, _output_mode(output))  # mkstemp makes 0600; keep the file's or the usual mode
        os.replace(tmp, output)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class FzGroup(click.Group):
    """Turns the errors users can act on into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FzError as exc:
            click.echo(f"fzcheck: {exc}", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=FzGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="fzcheck")
def cli() -> None:
    """fzcheck — 法治政府建设年度报告合规检查 / compliance checker for annual reports on
    building rule-of-law government."""


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


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True)
@click.option("-r", "--rules", "rules", metavar="FILE|NAME", help="Rule set file or shipped name (default: annual-report).")
@click.option("-f", "--format", "fmt", default="text", show_default=True,
              type=click.Choice(list(FORMATS)), help="Output format.")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True, help="Language of the report.")
@click.option("--fail-under", type=float, metavar="N", help="Score threshold of the gate (overrides the rule set).")
@click.option("-o", "--output", metavar="FILE", help="Write the report to FILE (atomically).")
@click.option("--waivers", metavar="FILE", help="YAML file of waived rules (rule, reason, expires, files).")
@click.option("--profile", metavar="NAME|auto",
              help="Kind of reporting unit: township, county, department, or auto (from the title).")
@click.option("--config", "config_path", metavar="FILE", help="Configuration file (default: fzcheck.yaml found upward).")
@click.option("--max-size", default="20MB", show_default=True, help="Largest input file accepted.")
@click.option("-j", "--jobs", default="1", show_default=True, metavar="N",
              help="Check files on N processes (0 or auto: one per core).")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: on a terminal).")
@click.option("--summary", is_flag=True,
              help="One row per report, one column per rule, sorted by score (text, csv, html, json, markdown).")
def check(paths, rules, fmt, lang, fail_under, output, waivers, profile, config_path, max_size, jobs, color,
          summary):
    """Check reports (files or folders) and print the gap report.

    Exit code 0: every report passes; 1: a report fails the gate (score below the
    threshold or a required rule failed); 2: usage, input or rule-set error.
    """
    from fzcheck.engine.check import Options
    from fzcheck.readers import iter_report_files
    from fzcheck.render import Report, render
    from fzcheck.rules.load import load_ruleset
    from fzcheck.engine.waivers import expired, load_waivers

    from fzcheck.app.config import from_click

    settings, _ = from_click(click.get_current_context(), config_path)  # command line > config file > default
    rules, fmt, lang = settings["rules"].value, settings["format"].value, settings["lang"].value
    fail_under, waivers, profile = settings["threshold"].value, settings["waivers"].value, settings["profile"].value

    from fzcheck.render.summary import SUMMARY_FORMATS, render_summary

    if summary and fmt not in SUMMARY_FORMATS:
        fail(f"--summary is available for {', '.join(SUMMARY_FORMATS)}, not {fmt}")
    ruleset = load_ruleset(rules)
    options = Options(lang=lang, fail_under=fail_under, max_bytes=_parse_size(max_size))
    if profile:
        from fzcheck.rules.profiles import check_requested

        check_requested(ruleset, profile)
        options.profile = profile
        src = settings["profile"].source
        options.profile_source = src if src == "command line" else f"config {src}"
    if waivers:
        options.waivers = load_waivers(waivers)
        for w in expired(options.waivers):
            click.echo(f"fzcheck: warning: {w['source']}: waiver for '{w['rule']}' expired on "
                       f"{w['expires'].isoformat()}; ignored", err=True)
        from fzcheck.engine.waivers import unknown_rules

        for w in unknown_rules(options.waivers, ruleset):
            click.echo(f"fzcheck: warning: {w['source']}: waiver for '{w['rule']}': no such rule in {ruleset.id}",
                       err=True)
    documents, errors = [], []
    files = iter_report_files(list(paths))
    if not files:
        fail("no report files found in " + ", ".join(paths))
    from fzcheck.app.batch import check_files, parse_jobs
    from fzcheck.app.progress import Progress
    from fzcheck.render.jsonfmt import JsonDocument, json_report

    report = Report(ruleset.id, ruleset.version, documents, errors)
    if profile:
        report.profile = {"requested": profile, "source": options.profile_source}
    # JSON goes out document by document, each encoded where it was checked (--jobs)
    stream = fmt == "json" and not summary
    passed: list[bool] = []
    # the progress bar: on stderr, for a batch on a terminal, never over a report being printed
    bar = Progress(len(files), enabled=False if stream and not output and sys.stdout.isatty() else None)

    def checked():
        with bar:
            for done in check_files(files, ruleset, options, parse_jobs(jobs), bar,
                                    JsonDocument(lang) if stream else None):
                if done.error is not None:  # a bug or a bad file must not lose the rest
                    errors.append({"path": done.path, "error": done.error})
                    bar.clear()
                    click.echo(f"{done.path}: {done.error}", err=True)
                    continue
                passed.append(done.passed)
                if stream:
                    yield done.encoded
                else:
                    documents.append(done.result)

    if stream:
        write_output(json_report(report, lang, checked()), output)
    else:
        for _ in checked():
            pass
        use_color = color if color is not None else (not output and sys.stdout.isatty())
        colored = bool(use_color and fmt == "text")
        write_output(render_summary(report, fmt, lang, colored) if summary else render(report, fmt, lang, colored),
                     output)
    if errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_OK if all(passed) else EXIT_GATE)


@cli.command(context_settings=CONTEXT)
@click.argument("rule_id")
@click.option("-r", "--rules", "rules", metavar="FILE|NAME", help="Rule set file or shipped name.")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True)
def explain(rule_id, rules, lang, fmt):
    """Explain what a rule requires, its legal basis and its examples."""
    from fzcheck.render.rulesdoc import explain_rule
    from fzcheck.render.rulesdoc import explain_json, explain_markdown
    from fzcheck.rules.load import load_ruleset

    ruleset = load_ruleset(rules)
    rule = ruleset.find_rule(rule_id)  # also the rules a profile adds
    if rule is None:
        fail(f"no rule '{rule_id}' in rule set {ruleset.id} (see: fzcheck rules list)")
    click.echo({"text": explain_rule, "json": explain_json, "markdown": explain_markdown}[fmt](rule, lang))


@cli.command("diff", context_settings=CONTEXT)
@click.argument("old")
@click.argument("new")
@click.option("-r", "--rules", "rules", metavar="FILE|NAME", help="Rule set file or shipped name.")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write the comparison to FILE (atomically).")
def diff_cmd(old, new, rules, lang, fmt, output):
    """What changed between two drafts: rules and items gained and lost, score and grade.

    Exit code 1 when the new draft lost something a required rule had; 2 on errors.
    """
    from fzcheck.engine.check import Options, check_path
    from fzcheck.engine.diff import compare, exit_code
    from fzcheck.render.diff import FORMATS as DIFF_FORMATS
    from fzcheck.rules.load import load_ruleset

    ruleset = load_ruleset(rules)
    result = compare(check_path(old, ruleset, Options(lang=lang)), check_path(new, ruleset, Options(lang=lang)))
    write_output(DIFF_FORMATS[fmt](result, lang), output)
    sys.exit(exit_code(result))


@cli.group(context_settings=CONTEXT)
def rules() -> None:
    """List, validate and test rule sets."""


@rules.command("list", context_settings=CONTEXT)
@click.option("-r", "--rules", "rules_arg", metavar="FILE|NAME", help="Rule set file or shipped name.")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True)
@click.option("--profile", metavar="NAME", help="Show the rules as a profile changes them.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True)
def rules_list(rules_arg, lang, profile, fmt):
    """List the rules of a rule set with severity and weight, and its profiles."""
    from fzcheck.render.rulesdoc import list_rules
    from fzcheck.rules.load import load_ruleset

    ruleset = load_ruleset(rules_arg)
    shown = ruleset.with_profile(profile) if profile and profile != "auto" else ruleset
    if fmt != "text":
        from fzcheck.render.rulesdoc import list_json, list_markdown

        click.echo((list_json if fmt == "json" else list_markdown)(shown, lang))
        return
    click.echo(list_rules(shown, lang))
    if ruleset.profiles and not profile:
        click.echo("\nprofiles (--profile NAME|auto):")
        for name in ruleset.profiles:
            ch = ruleset.profile_changes(name)
            parts = [f"{k} {', '.join(v)}" for k, v in (("adds", ch["added"]), ("changes", ch["changed"]),
                                                         ("disables", ch["disabled"])) if v]
            click.echo(f"  {name:<12} {ruleset.profile_title(name, lang)}: {'; '.join(parts) or 'no change'}")


@rules.command("validate", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True)
def rules_validate(files):
    """Validate rule set files: YAML syntax, the JSON Schema and what it cannot check
    (duplicate ids, unknown ids in overrides and profiles, patterns that do not compile,
    weights that must add up). Every problem is printed as file:line:column: message."""
    from fzcheck.rules.load import collect_problems

    bad = 0
    for f in files:
        problems = collect_problems(f)
        if problems:
            bad += 1
            for p in problems:
                click.echo(str(p), err=True)
        else:
            click.echo(f"{f}: ok")
    sys.exit(EXIT_ERROR if bad else EXIT_OK)


@rules.command("test", context_settings=CONTEXT)
@click.argument("files", nargs=-1)
def rules_test(files):
    """Run every rule's examples: 'pass' examples must pass, 'fail' examples must not."""
    from fzcheck.engine.examples import locate_outcome, run_examples
    from fzcheck.rules.load import load_ruleset

    failures = 0
    total = 0
    for f in files or [None]:
        ruleset = load_ruleset(f)
        for outcome in run_examples(ruleset):
            total += 1
            if not outcome.ok:
                failures += 1
                click.echo(f"{locate_outcome(ruleset, outcome)}: {outcome.describe()}")
    click.echo(f"{total - failures} passed, {failures} failed")
    sys.exit(EXIT_GATE if failures else EXIT_OK)


@cli.command("config", context_settings=CONTEXT)
@click.option("--config", "config_path", metavar="FILE", help="Configuration file (default: found upward).")
@click.option("-r", "--rules", "rules", metavar="FILE|NAME", help="Rule set (as for check).")
@click.option("--profile", metavar="NAME|auto", help="Profile (as for check).")
@click.option("--fail-under", type=float, metavar="N", help="Threshold (as for check).")
@click.option("--waivers", metavar="FILE", help="Waivers file (as for check).")
@click.option("-f", "--format", "fmt", type=click.Choice(list(FORMATS)), help="Output format (as for check).")
@click.option("--lang", type=click.Choice(LANGS), help="Language (as for check).")
def config_cmd(config_path, rules, profile, fail_under, waivers, fmt, lang):
    """Print the effective configuration and where each value comes from
    (command line, configuration file, default)."""
    from fzcheck.app.config import describe, effective

    given = {"rules": rules, "profile": profile, "threshold": fail_under, "waivers": waivers, "format": fmt,
             "lang": lang}
    settings, path = effective(given, config_path)
    if settings["threshold"].value is None:
        from fzcheck.rules.load import load_ruleset

        rs = load_ruleset(settings["rules"].value)
        if settings["profile"].value and settings["profile"].value != "auto":
            rs = rs.with_profile(settings["profile"].value)
        settings["threshold"].source = f"default: the rule set's {rs.threshold:g}"
    click.echo(describe(settings, path), nl=False)


from fzcheck.app.annotate_cmd import annotate as _annotate  # noqa: E402  (fzcheck annotate)

cli.add_command(_annotate)

from fzcheck.app.serve.command import serve as _serve  # noqa: E402  (fzcheck serve; needs the 'serve' extra)

cli.add_command(_serve)


def main() -> None:
    try:
        code = cli.main(standalone_mode=False)
        if isinstance(code, int) and code:  # ctx.exit(N) returns N without standalone mode
            sys.exit(code)
    except click.exceptions.Abort:
        click.echo("fzcheck: aborted", err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except FzError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        sys.exit(130)
    except SystemExit:
        raise
    except BrokenPipeError:
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":  # pragma: no cover
    main()
