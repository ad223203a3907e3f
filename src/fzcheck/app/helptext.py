"""`--help` in Chinese (the default) or English (`--lang en`).

Click writes the help from the commands' docstrings and the options' `help=` texts, which are
English in the code. When a command's help is asked for in Chinese, :func:`localize` puts the
Chinese text of each (looked up by its English words, whitespace folded) on the command tree
before Click formats it, and :class:`ZhContext` puts Click's own headings ("Usage:",
"Options:" …) into Chinese. Loaded only for ``--help``: nothing else pays for it.
"""
from __future__ import annotations

import os

import click

# English help (whitespace folded) -> Chinese. A text missing here stays English.
_ZH: dict[str, str] = {
    # fzcheck
    "fzcheck — 法治政府建设年度报告合规检查 / compliance checker for annual reports on building rule-of-law government.":
        "fzcheck —— 法治政府建设年度报告合规检查。英文界面：--lang en。",
    "Show the version and exit.": "显示版本并退出。",
    # check
    "Check reports (files or folders) and print the gap report. Exit code 0: every report passes; 1: a report "
    "fails the gate (score below the threshold or a required rule failed); 2: usage, input or rule-set error.":
        "检查报告（文件或文件夹），输出差距报告。\n\n退出码 0：全部报告通过；1：有报告未通过（得分低于门槛或必备项缺失）；"
        "2：用法、输入或规则集错误。",
    "Rule set file or shipped name (default: annual-report).": "规则集文件或内置规则集名称（默认 annual-report）。",
    "Output format.": "输出格式。",
    "Language of the report.": "报告语言（zh 中文，en 英文）。",
    "Score threshold of the gate, 0 to 100 (overrides the rule set).": "通过门槛分数，0 到 100（覆盖规则集的设置）。",
    "Write the report to FILE (atomically); its extension names the format (.html, .md, .json …).":
        "把报告写入 FILE（原子写入）；扩展名决定格式（.html、.md、.json……）。",
    "YAML file of waived rules (rule, reason, expires, files).": "豁免文件（YAML：rule、reason、expires、files）。",
    "Kind of reporting unit: township, county, department, or auto (from the title).":
        "报告单位类别：township（乡镇街道）、county（县市区）、department（部门），或 auto（按标题判断）。",
    "Configuration file (default: fzcheck.yaml found upward).": "配置文件（默认：向上查找 fzcheck.yaml）。",
    "Largest input file accepted, with its unit (20MB, 500KB; 1000B for bytes).":
        "可接受的最大输入文件，须带单位（20MB、500KB；按字节写 1000B）。",
    "Check files on N processes (0 or auto: one per core).": "用 N 个进程检查（0 或 auto：每个 CPU 核一个）。",
    "Colour the text report (default: on a terminal).": "文本报告是否着色（默认：输出到终端时着色）。",
    "One row per report, one column per rule, sorted by score (text, csv, html, json, markdown).":
        "汇总表：每份报告一行、每条规则一列，按得分排序（text、csv、html、json、markdown）。",
    "Time for one report (reading, normalizing, matching); 0: no limit.": "每份报告的时间限制（读取、规范化、匹配）；0 表示不限。",
    "Memory for one report; 0: no limit.": "每份报告的内存限制；0 表示不限。",
    "Score every file as an annual report, even one whose title or opening names another kind of document "
    "(述法报告, 政务公开年报, 实施方案 …): the reviewer's call.":
        "不论标题或开头写的是哪类文件（述法报告、政务公开年报、实施方案……），一律按法治政府建设年度报告评分（由审阅人决定）。",
    "Score it as an annual report whatever kind of document its title names (as for check).":
        "不论标题写的是哪类文件，一律按年度报告评分（同 check）。",
    "Only what is missing or partial, why, how to fix it and its basis (text, markdown, html).":
        "只列缺失或部分落实的项：原因、修改建议和依据（text、markdown、html）。",
    "SARIF: info rules that are not met as notes.": "SARIF：把未满足的提示项作为 note 输出。",
    # config
    "Print the effective configuration and where each value comes from (command line, configuration file, default).":
        "显示生效的配置及每个值的来源（命令行、配置文件、默认值）。",
    "Configuration file (default: found upward).": "配置文件（默认：向上查找）。",
    "Rule set (as for check).": "规则集（同 check）。",
    "Profile (as for check).": "单位类别（同 check）。",
    "Threshold (as for check).": "门槛（同 check）。",
    "Waivers file (as for check).": "豁免文件（同 check）。",
    "Output format (as for check).": "输出格式（同 check）。",
    "Language (as for check).": "语言（同 check）。",
    # diff
    "What changed between two drafts: rules and items gained and lost, score and grade. Reads the configuration "
    "and takes --profile and --waivers like check, so both give one score for one draft. Exit code 1 when the new "
    "draft lost something a required rule had; 2 on errors.":
        "比较两稿：新增和丢失的规则与子项、得分和等级的变化。与 check 一样读取配置，接受 --profile 和 --waivers，"
        "同一稿件两者得分一致。\n\n退出码 1：新稿丢失了必备规则已有的内容；2：出错。",
    "Rule set file or shipped name (as for check).": "规则集文件或内置规则集名称（同 check）。",
    "Write the comparison to FILE (atomically); its extension names the format (.md, .json).":
        "把比较结果写入 FILE（原子写入）；扩展名决定格式（.md、.json）。",
    "Kind of reporting unit (as for check).": "报告单位类别（同 check）。",
    "YAML file of waived rules (as for check).": "豁免文件（同 check）。",
    "Score threshold (as for check).": "通过门槛分数（同 check）。",
    "Configuration file (as for check).": "配置文件（同 check）。",
    "Largest input file accepted (as for check).": "可接受的最大输入文件（同 check）。",
    # explain, rules
    "Explain what a rule requires, its legal basis, words, look-alikes and examples. RULE_ID is a rule id or its "
    "title, in Chinese or English (fzcheck explain 法律顾问).":
        "说明一条规则的要求、法律依据、认可的表述、易混表述和示例。RULE_ID 可以是规则编号或中英文标题"
        "（如 fzcheck explain 法律顾问）。",
    "Rule set file or shipped name.": "规则集文件或内置规则集名称。",
    "List, validate and test rule sets.": "列出、校验和测试规则集。",
    "Print the rule reference in Markdown (rules/README.md is this, for the shipped set): every rule, what counts, "
    "its words, look-alikes and examples.":
        "输出 Markdown 格式的规则说明（内置规则集的 rules/README.md 即由此生成）：每条规则认可什么、表述、易混表述和示例。",
    "List the rules of a rule set with severity and weight, and its profiles.": "列出规则集的规则（严重程度、权重）及单位类别。",
    "Show the rules as a profile changes them.": "按某一单位类别调整后显示规则。",
    "Run every rule's examples, its specification: 'pass' examples must pass, 'fail' ones must not, and an example "
    "that names a finding ({plan_only: …}, {text, expect, items, why}) must give exactly that. 'todo' examples "
    "(known misses) are listed, never fail.":
        "运行每条规则的示例（即规则的规格）：pass 示例必须通过，fail 示例不得通过，写明结论的示例"
        "（{plan_only: …}、{text, expect, items, why}）必须得出该结论；todo 示例（已知未能识别的）只列出，不算失败。",
    "Validate rule set files: YAML syntax, the JSON Schema and what it cannot check (duplicate ids, unknown ids in "
    "overrides and profiles, patterns that do not compile, weights that must add up). Every problem is printed as "
    "file:line:column: message.":
        "校验规则集文件：YAML 语法、JSON Schema，以及 Schema 查不到的问题（重复编号、覆盖和单位类别中的未知编号、"
        "无法编译的模式、权重合计）。每个问题输出为 文件:行:列: 说明。",
    # annotate
    "The reviewer's marked-up copy: each report as a Word document with every finding as a comment on its sentence "
    "(credited, not counted and why, missing at the heading of its part, and the score on the title). Needs the "
    "`annotate` extra (python-docx >= 1.2). Reads the configuration and takes --rules, --profile, --waivers, "
    "--fail-under and --lang like check: the title's score and gate are check's for the same file and settings. "
    "Exit code 0: every copy was written; 2: a report could not be read or written.":
        "审阅批注稿：把每份报告生成 Word 文档，每项发现作为批注加在对应句子上（已落实；不计入及原因；缺失项批注在"
        "所属部分的标题；标题上批注得分）。需要安装 annotate 扩展（python-docx ≥ 1.2）。与 check 一样读取配置，"
        "接受 --rules、--profile、--waivers、--fail-under 和 --lang，标题上的得分和结论与 check 相同。\n\n"
        "退出码 0：全部写出；2：有报告无法读取或写入。",
    "Where the marked-up copy goes (default: <stem>.reviewed.docx beside the report); a folder for several reports.":
        "批注稿的输出位置（默认：报告旁的 <文件名>.reviewed.docx）；多份报告时为文件夹。",
    "Author of the comments.": "批注的作者名。",
    "Language of the comments.": "批注的语言。",
    "Kind of reporting unit: township, county, department, or auto.":
        "报告单位类别：township、county、department 或 auto。",
    "YAML file of waived rules and items (as for check).": "豁免规则和子项的文件（同 check）。",
    "Score threshold of the gate (as for check).": "通过门槛分数（同 check）。",
    "Largest input file accepted.": "可接受的最大输入文件。",
    # serve
    "A local web page to review a batch of reports: drop files or a .zip, read each report with its findings beside "
    "the text, overrule a call, download the gap report, the matrix, the JSON and a waivers file.":
        "本机网页审阅一批报告：拖入文件或 .zip，逐份阅读正文及旁注的发现，推翻某项判断，下载差距报告、汇总表、JSON "
        "和豁免文件。",
    "Address to listen on; beyond loopback every request needs the token.": "监听地址；非本机地址时每个请求都需要令牌。",
    "Folder of the batches, results and reviews (default: $XDG_DATA_HOME/fzcheck).":
        "保存批次、结果和复核记录的文件夹（默认 $XDG_DATA_HOME/fzcheck）。",
    "Open the page in the browser.": "在浏览器中打开页面。",
    "Token every request must carry (generated when --host is not loopback).": "每个请求须携带的令牌（--host 非本机时自动生成）。",
    "Kind of reporting unit: township, county, department or auto.": "报告单位类别：township、county、department 或 auto。",
    "Processes that check the uploaded reports (auto: one per core, at most 4).":
        "检查上传报告的进程数（auto：每核一个，最多 4 个）。",
    "Largest report file accepted.": "可接受的最大报告文件。",
}
_ZH = {" ".join(k.split()): v for k, v in _ZH.items()}

# Click's own words in the help page.
_HEADINGS = (
    ("Usage:", "用法："), ("Options:", "选项："), ("Commands:", "命令："), ("Arguments:", "参数："),
    ("Show this message and exit.", "显示此帮助并退出。"), ("[default: ", "[默认："), ("[default:", "[默认："), ("[required]", "[必填]"),
)


def wants_help(argv: list[str]) -> bool:
    """--help anywhere, or no arguments at all (Click shows the help then)."""
    return not argv or any(a in ("--help", "-h") for a in argv)


def lang_of(argv: list[str]) -> str:
    """--lang en / --lang=en on the command line, else FZCHECK_LANG, else Chinese."""
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--lang="):
            return a.split("=", 1)[1]
    return os.environ.get("FZCHECK_LANG", "zh")


def translate(text: str | None) -> str | None:
    if not text:
        return text
    return _ZH.get(" ".join(text.split()), text)


class ZhContext(click.Context):
    """A context whose help page has Click's headings in Chinese."""

    def get_help(self) -> str:
        text = super().get_help()
        for en, zh in _HEADINGS:
            text = text.replace(en, zh)
        return text


def localize(command: click.Command, argv: list[str]) -> None:
    """Put the Chinese help on the command and the subcommand the arguments name (only the
    commands on the way: a lazy command elsewhere is not imported)."""
    ctx = click.Context(command, info_name="fzcheck")
    _localize_one(command)
    names = [a for a in argv if not a.startswith("-")]
    node = command
    for name in names:
        if not isinstance(node, click.Group):
            break
        sub = node.get_command(ctx, name)
        if sub is None:
            break
        _localize_one(sub)
        node = sub
    if isinstance(node, click.Group):  # the listing shows each subcommand's first line
        for name in node.list_commands(ctx):
            sub = node.get_command(ctx, name)
            if sub is not None and not sub.short_help:
                zh = translate(sub.help)
                if zh and zh != sub.help:  # a short first phrase, as Click shows an English one
                    sub.short_help = _first_phrase(zh)


def _first_phrase(text: str) -> str:
    first = text.split("\n")[0].split("。")[0]
    if len(first) > 24:
        for mark in ("：", "（", "，"):
            if mark in first:
                first = first.split(mark)[0]
                break
    return first + "。"


def _localize_one(cmd: click.Command) -> None:
    cmd.help = translate(cmd.help)
    cmd.short_help = translate(cmd.short_help)
    for p in cmd.params:
        if getattr(p, "help", None):
            p.help = translate(p.help)
    cmd.context_class = ZhContext
