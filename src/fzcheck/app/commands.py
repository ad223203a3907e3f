"""The commands a check does not need: `fzcheck explain`, `diff`, `rules …` and `config`.

Kept apart from fzcheck.app.cli so that `fzcheck check` does not build them (their click
options) at every start: the command line imports this module only when one of them runs or
the help lists them (``LAZY_COMMANDS`` in fzcheck.app.cli)."""
from __future__ import annotations

import sys

import click

from fzcheck.app.cli import (CONTEXT, _parse_threshold, _set_lang, _size_option, check_setup, fail,
                             output_format)
from fzcheck.errors import EXIT_ERROR, EXIT_GATE, EXIT_OK, FzError
from fzcheck.i18n import LANGS
from fzcheck.render import FORMATS


@click.command(context_settings=CONTEXT)
@click.argument("rule_id")
@click.option("-r", "--rules", "rules", metavar="FILE|NAME", help="Rule set file or shipped name.")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True)
def explain(rule_id, rules, lang, fmt):
    """Explain what a rule requires, its legal basis, words, look-alikes and examples.
    RULE_ID is a rule id or its title, in Chinese or English (fzcheck explain 法律顾问)."""
    from fzcheck.render.rulesdoc import explain_rule
    from fzcheck.render.rulesdoc import explain_json, explain_markdown
    from fzcheck.rules.load import load_ruleset

    from fzcheck.render.rulesdoc import find_rule

    ruleset = load_ruleset(rules)
    rule = find_rule(ruleset, rule_id)  # an id or a title (法律顾问); also the rules a profile adds
    if rule is None:
        from fzcheck.i18n import msg

        fail(msg("cli.no_rule", rule=rule_id, ruleset=ruleset.id))
    click.echo({"text": explain_rule, "json": explain_json, "markdown": explain_markdown}[fmt](rule, lang))


@click.command("diff", context_settings=CONTEXT)
@click.argument("old")
@click.argument("new")
@click.option("-r", "--rules", "rules", metavar="FILE|NAME", help="Rule set file or shipped name (as for check).")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True, is_eager=True, callback=_set_lang)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True)
@click.option("-o", "--output", metavar="FILE",
              help="Write the comparison to FILE (atomically); its extension names the format (.md, .json).")
@click.option("--profile", metavar="NAME|auto", help="Kind of reporting unit (as for check).")
@click.option("--waivers", metavar="FILE", help="YAML file of waived rules (as for check).")
@click.option("--fail-under", type=float, metavar="N", callback=_parse_threshold, help="Score threshold (as for check).")
@click.option("--config", "config_path", metavar="FILE", help="Configuration file (as for check).")
@click.option("--max-size", default="20MB", show_default=True, callback=_size_option, metavar="SIZE",
              help="Largest input file accepted (as for check).")
def diff_cmd(old, new, rules, lang, fmt, output, profile, waivers, fail_under, config_path, max_size):
    """What changed between two drafts: rules and items gained and lost, score and grade.
    Reads the configuration and takes --profile and --waivers like check, so both give one
    score for one draft.

    Exit code 1 when the new draft lost something a required rule had; 2 on errors.
    """
    from fzcheck.engine.check import check_path
    from fzcheck.engine.diff import compare, exit_code
    from fzcheck.render.diff import FORMATS as DIFF_FORMATS

    from fzcheck.app.batch import DocumentTimeout, Limits, _Guard
    from fzcheck.app.config import from_click
    from fzcheck.app.output import prepare
    from fzcheck.i18n import msg, set_message_lang

    settings, _ = from_click(click.get_current_context(), config_path)  # command line > config file > default
    lang = settings["lang"].value
    set_message_lang(lang)
    src = settings["format"].source
    if src not in ("default", "command line") and settings["format"].value not in DIFF_FORMATS:
        src = "default"  # the configuration's format is check's (html, sarif …); diff keeps its own
    fmt = output_format(output, settings["format"].value if src != "default" else fmt, src != "default",
                        DIFF_FORMATS)
    target = prepare(output, [old, new])
    ruleset, options = check_setup(settings, max_size)
    checked = []
    for path in (old, new):
        try:
            with _Guard(Limits()):
                checked.append(check_path(path, ruleset, options))
        except DocumentTimeout:
            raise FzError(msg("run.timeout", seconds=Limits().timeout), path) from None
        except MemoryError:
            raise FzError(msg("run.memory", mb=Limits().max_memory >> 20), path) from None
    result = compare(*checked)
    target.write(DIFF_FORMATS[fmt](result, lang))
    sys.exit(exit_code(result))


@click.group(context_settings=CONTEXT)
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


@rules.command("doc", context_settings=CONTEXT)
@click.option("-r", "--rules", "rules_arg", metavar="FILE|NAME", help="Rule set file or shipped name.")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True)
def rules_doc(rules_arg, lang):
    """Print the rule reference in Markdown (rules/README.md is this, for the shipped set):
    every rule, what counts, its words, look-alikes and examples."""
    from fzcheck.render.rulesdoc import reference_markdown
    from fzcheck.rules.load import load_ruleset

    click.echo(reference_markdown(load_ruleset(rules_arg), lang), nl=False)


@rules.command("test", context_settings=CONTEXT)
@click.argument("files", nargs=-1)
def rules_test(files):
    """Run every rule's examples, its specification: 'pass' examples must pass, 'fail' ones
    must not, and an example that names a finding ({plan_only: …}, {text, expect, items,
    why}) must give exactly that. 'todo' examples (known misses) are listed, never fail."""
    from fzcheck.engine.examples import locate_outcome, run_examples
    from fzcheck.rules.load import load_ruleset

    failures = 0
    total = 0
    todo = 0
    for f in files or [None]:
        ruleset = load_ruleset(f)
        sources: dict = {}
        for outcome in run_examples(ruleset):
            if outcome.todo:
                todo += 1
                click.echo(f"{locate_outcome(ruleset, outcome, sources)}: {outcome.describe()}")
                continue
            total += 1
            if not outcome.ok:
                failures += 1
                click.echo(f"{locate_outcome(ruleset, outcome, sources)}: {outcome.describe()}")
    click.echo((f"{todo} todo (known misses), " if todo else "") + f"{total - failures} passed, {failures} failed")
    sys.exit(EXIT_GATE if failures else EXIT_OK)


@click.command("config", context_settings=CONTEXT)
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
