"""``fzcheck serve``: the click command (the work is in fzcheck.app.serve)."""
from __future__ import annotations

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command("serve", context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; beyond loopback every request needs the token.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535))
@click.option("--data", "data", metavar="DIR",
              help="Folder of the batches, results and reviews (default: $XDG_DATA_HOME/fzcheck).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the browser.")
@click.option("--token", metavar="T", help="Token every request must carry (generated when --host is not loopback).")
@click.option("-r", "--rules", "rules", metavar="FILE|NAME", help="Rule set file or shipped name (default: annual-report).")
@click.option("--profile", metavar="NAME|auto", help="Kind of reporting unit: township, county, department or auto.")
@click.option("-j", "--jobs", default="auto", show_default=True, metavar="N",
              help="Processes that check the uploaded reports (auto: one per core, at most 4).")
@click.option("--max-size", default="20MB", show_default=True, help="Largest report file accepted.")
@click.option("--timeout", type=float, default=30.0, show_default=True, metavar="SECONDS",
              help="Time for one report (reading, normalizing, matching); 0: no limit.")
def serve(host, port, data, open_browser, token, rules, profile, jobs, max_size, timeout):
    """A local web page to review a batch of reports: drop files or a .zip, read each report
    with its findings beside the text, overrule a call, download the gap report, the matrix,
    the JSON and a waivers file."""
    from fzcheck.app.serve import available, run

    missing = available()
    if missing:
        raise click.ClickException(missing)
    from fzcheck.app.batch import cpu_count, parse_jobs
    from fzcheck.app.cli import _parse_seconds, _parse_size
    from fzcheck.rules.load import load_ruleset

    ruleset = load_ruleset(rules)  # a broken rule set stops here, not in the workers
    if profile:
        from fzcheck.rules.profiles import check_requested

        check_requested(ruleset, profile)
    timeout = _parse_seconds(None, None, timeout)
    n = min(4, cpu_count()) if str(jobs).strip().lower() in ("auto", "0") else parse_jobs(jobs)
    run(host=host, port=port, data=data, open_browser=open_browser, token=token, rules=rules, profile=profile,
        jobs=n, max_bytes=_parse_size(max_size), timeout=timeout, echo=click.echo)
