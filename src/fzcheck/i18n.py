"""User-facing words, Chinese by default, English with --lang en."""
from __future__ import annotations

LANGS = ("zh", "en")

_MESSAGES: dict[str, dict[str, str]] = {
    # separators: between the items of a list, between clauses
    "sep.list": {"zh": "、", "en": ", "},
    "sep.clause": {"zh": "；", "en": "; "},
    # a remark in brackets after a text
    "out.aside": {"zh": "{text}（{aside}）", "en": "{text} ({aside})"},
    # a label and its text
    "out.label": {"zh": "{label}：{text}", "en": "{label}: {text}"},
    # rule status
    "status.pass": {"zh": "通过", "en": "pass"},
    "status.partial": {"zh": "部分", "en": "partial"},
    "status.fail": {"zh": "缺失", "en": "fail"},
    "status.not_applicable": {"zh": "不适用", "en": "not applicable"},
    "status.waived": {"zh": "已豁免", "en": "waived"},
    # item status
    "item.pass": {"zh": "已落实", "en": "done"},
    "item.plan_only": {"zh": "仅在计划中", "en": "plan only"},
    "item.problem_only": {"zh": "仅在问题中", "en": "named as a problem only"},
    "item.negated": {"zh": "表述为缺失", "en": "stated as lacking"},
    "item.missing": {"zh": "未提及", "en": "not mentioned"},
    "item.waived": {"zh": "已豁免", "en": "waived"},
    # evidence status
    "hit.done": {"zh": "已落实", "en": "done"},
    "hit.plan": {"zh": "计划", "en": "plan"},
    "hit.problem": {"zh": "问题", "en": "problem"},
    "hit.negated": {"zh": "缺失表述", "en": "lacking"},
    "hit.not_counted": {"zh": "不计入", "en": "not counted"},
    "hit.found": {"zh": "发现", "en": "found"},
    # severity
    "severity.required": {"zh": "必备", "en": "required"},
    "severity.recommended": {"zh": "建议", "en": "recommended"},
    "severity.info": {"zh": "提示", "en": "info"},
    # roles
    "role.preamble": {"zh": "开头", "en": "opening"},
    "role.achievements": {"zh": "举措和成效", "en": "achievements"},
    "role.first_responsible": {"zh": "第一责任人", "en": "first responsible"},
    "role.shortcomings": {"zh": "存在的不足", "en": "shortcomings"},
    "role.next_year": {"zh": "下一年度安排", "en": "next year"},
    "role.other": {"zh": "其他", "en": "other"},
    # messages about results
    "msg.found": {"zh": "已见本年度落实的表述", "en": "reported as done in the year"},
    "msg.partial_credit": {"zh": "只有较弱的表述，得部分分", "en": "only weak evidence; partial credit"},
    "msg.plan_only": {"zh": "仅在下一年度安排或计划性表述中提及，未见本年度已落实", "en": "mentioned only as a plan, not as done in the year"},
    "msg.problem_only": {"zh": "仅在存在的不足中提及，未见本年度已落实", "en": "named only among the shortcomings, not as done"},
    "msg.negated": {"zh": "报告表述为尚未建立或不足，未见已落实", "en": "stated as lacking, not as done"},
    "msg.missing": {"zh": "报告未提及", "en": "not mentioned in the report"},
    "out.why_not": {"zh": "未计入的原因", "en": "Why not credited"},
    "msg.not_counted": {"zh": "有相关表述但不计为本年度落实：{why}", "en": "mentioned, but not as done in the year: {why}"},
    # why an element was not credited (the rule set's context.not_deeds add their own reasons)
    "why.plan": {"zh": "只是计划", "en": "only planned"},
    "why.problem": {"zh": "只在存在的不足中提及", "en": "only named as a shortcoming"},
    "why.negated": {"zh": "表述为缺失或不足", "en": "said to be lacking"},
    "why.lookalike": {"zh": "相似名称，另有所指", "en": "a look-alike name for something else"},
    "why.title": {"zh": "仅为引用的文件标题", "en": "only a quoted title"},
    "why.nothing_close": {"zh": "报告未提及，未见相近表述", "en": "nothing close found in the report"},
    "msg.items": {"zh": "{total}项中已落实{done}项", "en": "{done} of {total} items done"},
    "msg.items_missing": {"zh": "；未落实：{names}", "en": "; not done: {names}"},
    "msg.section_found": {"zh": "有单独标题的部分：{heading}", "en": "has a part of its own: {heading}"},
    "msg.section_sub": {"zh": "只作为小标题出现（{heading}），没有单独的部分", "en": "only a sub-heading ({heading}), no part of its own"},
    "msg.section_missing": {"zh": "没有单独标题的此部分", "en": "no part of its own"},
    "msg.count": {"zh": "找到{n}处工作数据（至少需要{min}处）", "en": "{n} figures about the work found (at least {min} needed)"},
    "msg.absent_ok": {"zh": "未发现", "en": "none found"},
    "msg.absent_found": {"zh": "发现{n}处", "en": "{n} found"},
    "msg.deadline_ok": {"zh": "发布日期{date}，在{deadline}之前", "en": "published {date}, by {deadline}"},
    "msg.deadline_late": {"zh": "发布日期{date}，晚于{deadline}", "en": "published {date}, after {deadline}"},
    "msg.deadline_unknown": {"zh": "文中没有发布日期", "en": "no publication date in the text"},
    "msg.year_unknown": {"zh": "无法确定报告年度", "en": "the report year cannot be determined"},
    "msg.years_ok": {"zh": "报告年度{year}，年份一致", "en": "report year {year}; years consistent"},
    "msg.years_bad": {"zh": "报告年度{year}：{problems}", "en": "report year {year}: {problems}"},
    "msg.year_plan": {"zh": "下一年度安排写的是{got}年（应为{want}年）", "en": "the plan is for {got} (expected {want})"},
    "msg.year_heading": {"zh": "工作部分标题写的是{got}年（应为{want}年）", "en": "the achievements heading says {got} (expected {want})"},
    "msg.year_published": {"zh": "发布日期在{got}年（应为{want}年）", "en": "published in {got} (expected {want})"},
    "msg.year_future": {"zh": "正文出现{got}年，晚于下一年度", "en": "the text names {got}, after next year"},
    "msg.anachronism": {"zh": "“{term}”{since}年才提出", "en": "'{term}' dates from {since}"},
    "msg.not_applicable_year": {"zh": "不适用于{year}年度的报告", "en": "does not apply to a report on {year}"},
    "msg.waived": {"zh": "已豁免：{reason}", "en": "waived: {reason}"},
    "msg.item_waived": {"zh": "已豁免“{item}”：{reason}", "en": "\"{item}\" waived: {reason}"},
    # report summary
    "report.score": {"zh": "得分", "en": "score"},
    "report.grade": {"zh": "等级", "en": "grade"},
    "report.gate_pass": {"zh": "通过", "en": "PASS"},
    "report.gate_fail": {"zh": "未通过", "en": "FAIL"},
    "report.year": {"zh": "报告年度", "en": "year"},
    "report.year_unknown": {"zh": "未知", "en": "unknown"},
    "report.published": {"zh": "发布日期", "en": "published"},
    "report.parts": {"zh": "报告结构", "en": "parts"},
    "report.profile": {"zh": "单位类别", "en": "profile"},
    # why a profile (kind of reporting unit) was applied
    "profile.where.title": {"zh": "标题", "en": "title"},
    "profile.where.preamble": {"zh": "开头", "en": "opening text"},
    "profile.where.body": {"zh": "正文开头", "en": "start of the body"},
    "profile.auto_found": {"zh": "自动判断：{where}中有“{snippet}”", "en": "auto: the {where} names “{snippet}”"},
    "profile.auto_none": {"zh": "自动判断：标题和开头未写明是乡镇、县级以上政府还是部门，按基本规则检查",
                          "en": "auto: the title and opening text do not name the kind of unit; the base rules apply"},
    "profile.given_cli": {"zh": "命令行指定 {name}", "en": "{name} given on the command line"},
    "profile.given_config": {"zh": "配置文件 {file}指定 {name}", "en": "{name} given in config {file}"},
    "profile.base": {"zh": "基本规则", "en": "base rules"},
    "report.no_parts": {"zh": "（未识别到分部分的标题）", "en": "(no part headings found)"},
    "report.fix": {"zh": "修改建议", "en": "fix"},
    "report.basis": {"zh": "依据", "en": "basis"},
    "report.line": {"zh": "第{line}行", "en": "line {line}"},
    "report.page_line": {"zh": "第{page}页第{line}行", "en": "page {page}, line {line}"},
    "report.page": {"zh": "第{page}页", "en": "page {page}"},
    "report.paragraph": {"zh": "第{paragraph}段", "en": "paragraph {paragraph}"},
    "report.cell": {"zh": "表{table}第{row}行第{cell}列", "en": "table {table}, row {row}, cell {cell}"},
    "report.threshold": {"zh": "门槛", "en": "threshold"},
    "report.required_failed": {"zh": "必备项缺失", "en": "required rules failed"},
    "report.summary": {"zh": "共{n}份报告：{passed}份通过，{failed}份未通过，{errors}份无法读取",
                       "en": "{n} reports: {passed} passed, {failed} failed, {errors} unreadable"},
    "report.error": {"zh": "无法检查", "en": "cannot check"},
    # printed and CI outputs (html, markdown, sarif, junit, summary, diff)
    "out.title": {"zh": "法治政府建设年度报告合规检查", "en": "Compliance check of an annual report on rule-of-law government"},
    "out.summary_title": {"zh": "法治政府建设年度报告检查汇总", "en": "Summary of annual reports on rule-of-law government"},
    "out.unit": {"zh": "报告单位", "en": "unit"},
    "out.file": {"zh": "文件", "en": "file"},
    "out.gate": {"zh": "结论", "en": "gate"},
    "out.coverage": {"zh": "各方面覆盖情况", "en": "Coverage by area"},
    "out.rules": {"zh": "逐项检查结果（缺失、部分在前）", "en": "Every rule (missing and partial first)"},
    "out.rule": {"zh": "检查项", "en": "rule"},
    "out.area": {"zh": "方面", "en": "area"},
    "out.status": {"zh": "状态", "en": "status"},
    "out.severity": {"zh": "级别", "en": "severity"},
    "out.points": {"zh": "得分/权重", "en": "points"},
    "out.finding": {"zh": "检查结论", "en": "finding"},
    "out.what": {"zh": "要求", "en": "what counts"},
    "out.evidence": {"zh": "原文依据", "en": "evidence"},
    "out.no_evidence": {"zh": "未找到相关原文", "en": "no text found"},
    "out.more_evidence": {"zh": "另有{n}处", "en": "{n} more"},
    "out.items": {"zh": "分项", "en": "items"},
    "out.location": {"zh": "位置", "en": "location"},
    "out.generated": {"zh": "由 fzcheck {version} 生成；规则集 {ruleset} {rv}", "en": "Made by fzcheck {version}; rule set {ruleset} {rv}"},
    "out.errors": {"zh": "无法检查的文件", "en": "Files that could not be checked"},
    "out.legend": {"zh": "图例", "en": "legend"},
    "out.rank": {"zh": "序号", "en": "#"},
    "out.report": {"zh": "报告", "en": "report"},
    "out.unreadable": {"zh": "无法读取", "en": "unreadable"},
    "out.collective": {"zh": "（统称）", "en": " (collective)"},
    "out.profile": {"zh": "{title}；{reason}", "en": "{title} ({reason})"},
    "group.structure": {"zh": "报告结构", "en": "structure"},
    "group.element": {"zh": "工作要素", "en": "elements"},
    "group.quality": {"zh": "报告质量", "en": "quality"},
    "diff.title": {"zh": "两稿对比", "en": "Changes between drafts"},
    "diff.old": {"zh": "原稿", "en": "old"},
    "diff.new": {"zh": "新稿", "en": "new"},
    "diff.gained": {"zh": "新增落实", "en": "gained"},
    "diff.lost": {"zh": "不再落实", "en": "lost"},
    "diff.changed": {"zh": "状态变化", "en": "changed"},
    "diff.items_gained": {"zh": "新增分项", "en": "items gained"},
    "diff.items_lost": {"zh": "失去分项", "en": "items lost"},
    "diff.none": {"zh": "无变化", "en": "no change"},
    "diff.lost_required": {"zh": "新稿丢失了必备项：{names}", "en": "the new draft lost required rules: {names}"},
    # status words per rule kind (render.common.rule_status_text): a rule that must find nothing
    # and found something, a late publication, inconsistent years "do not comply", never "missing"
    "status.fail.absence": {"zh": "不符合", "en": "violated"},
    "status.fail.deadline": {"zh": "不符合", "en": "violated"},
    "status.fail.year-consistency": {"zh": "不符合", "en": "violated"},
    "status.partial.year-consistency": {"zh": "部分不符合", "en": "partly violated"},
    "item.not_counted": {"zh": "有表述但不计入", "en": "mentioned, not counted"},
    # why a report fails the gate (render.common.gate_reason)
    "gate.required": {"zh": "必备项缺失：{names}", "en": "required rules failed: {names}"},
    "gate.score": {"zh": "得分{score}低于门槛{threshold}", "en": "score {score} below the threshold {threshold}"},
    "out.why_fail": {"zh": "未通过原因", "en": "why it fails"},
    # command-line usage (app/cli.py): one line each, in the chosen language
    "cli.size": {"zh": "“{value}”不是大小（例如 20MB、500KB；字节数写 B，如 1000B）",
                 "en": "'{value}' is not a size (e.g. 20MB, 500KB; bytes with B, e.g. 1000B)"},
    "cli.size_unit": {"zh": "“{value}”没有单位：请写 {value}MB 或 {value}KB（按字节计请写 {value}B）",
                      "en": "'{value}' has no unit: write {value}MB or {value}KB ({value}B for bytes)"},
    "cli.threshold": {"zh": "“{value}”不是0到100之间的分数", "en": "'{value}' is not a score from 0 to 100"},
    "cli.seconds": {"zh": "“{value}”不是秒数（0表示不限）", "en": "'{value}' is not a number of seconds (0 for no limit)"},
    "cli.memory_min": {"zh": "“{value}”：至少64MB（0表示不限）", "en": "'{value}': at least 64MB (0 for no limit)"},
    "cli.format_mismatch": {"zh": "输出文件 {output} 的扩展名是 {ext} 格式，与 --format {fmt} 不符；请改扩展名或去掉 --format",
                            "en": "the output {output} has the extension of {ext}, not of --format {fmt}; change one of them"},
    "cli.summary_formats": {"zh": "--summary 只支持 {formats}，不支持 {fmt}", "en": "--summary is available for {formats}, not {fmt}"},
    "cli.gaps_formats": {"zh": "--gaps-only 只支持 {formats}，不支持 {fmt}", "en": "--gaps-only is available for {formats}, not {fmt}"},
    "cli.no_files": {"zh": "在 {paths} 中没有找到报告文件", "en": "no report files found in {paths}"},
    "cli.usage": {"zh": "{message}（用法见 {command} --help）", "en": "{message} (see {command} --help)"},
    "cli.no_such_option": {"zh": "没有选项 {name}", "en": "no such option: {name}"},
    "cli.did_you_mean": {"zh": "，是否想用 {names}", "en": "; did you mean {names}"},
    "cli.missing": {"zh": "缺少参数 {what}", "en": "missing {what}"},
    "cli.bad_value": {"zh": "{param} 的值无效：{message}", "en": "invalid value for {param}: {message}"},
    "cli.choice": {"zh": "“{value}”不在可选值 {choices} 之中", "en": "'{value}' is not one of {choices}"},
    "cli.needs_value": {"zh": "选项 {name} 需要一个值", "en": "option {name} requires a value"},
    "cli.extra_args": {"zh": "多余的参数：{args}", "en": "unexpected extra arguments: {args}"},
    "cli.no_command": {"zh": "没有命令 {name}", "en": "no such command: {name}"},
    "cli.no_rule": {"zh": "规则集 {ruleset} 中没有规则“{rule}”（见 fzcheck rules list）",
                    "en": "no rule '{rule}' in rule set {ruleset} (see: fzcheck rules list)"},
    "cli.waiver_expired": {"zh": "警告：{source}：“{rule}”的豁免已于{date}到期，不再适用",
                           "en": "warning: {source}: waiver for '{rule}' expired on {date}; ignored"},
    "cli.waiver_unknown": {"zh": "警告：{source}：豁免的规则“{rule}”不在规则集 {ruleset} 中",
                           "en": "warning: {source}: waiver for '{rule}': no such rule in {ruleset}"},
    "group.info": {"zh": "提示项（不计分）", "en": "notes (no weight)"},
    "out.grey_group": {"zh": "提示和专项（不影响结论）", "en": "notes, profile-only"},
    "gate.short_required": {"zh": "缺{n}项必备", "en": "{n} required missing"},
    "gate.short_score": {"zh": "分数低于{threshold}", "en": "score below {threshold}"},
    "out.info_rules": {"zh": "提示项（不计分，不影响结论）", "en": "Notes (info rules: no weight, never fail the gate)"},
    "out.gaps_title": {"zh": "差距清单", "en": "Gaps"},
    "out.gaps_none": {"zh": "没有缺失或部分落实的计分项。", "en": "Nothing that weighs is missing or partial."},
    "out.gaps_intro": {"zh": "只列缺失和部分落实的计分项；完整报告去掉 --gaps-only。", "en": "Only what weighs and is missing or partial; drop --gaps-only for the full report."},
    "out.why": {"zh": "原因", "en": "why"},
    "out.profile_only": {"zh": "仅部分单位类别检查", "en": "checked for some kinds of unit only"},
    "out.appendix": {"zh": "附：列标题", "en": "Appendix: columns"},
    "out.pages_note": {"zh": "灰色列为提示项或仅部分单位类别检查的项，不影响结论。", "en": "Grey columns are notes or checked for some kinds of unit only; they never decide the gate."},
    "out.unit_year": {"zh": "单位（年度）", "en": "unit (year)"},
    "out.rule_id": {"zh": "规则编号", "en": "rule id"},
    # fzcheck annotate: comments in the reviewer's marked-up copy ({mark}: the status mark, render.common.STATUS)
    "ann.summary": {"zh": "fzcheck 检查：得分{score}，等级{grade}，结论：{gate}（门槛{threshold}）",
                    "en": "fzcheck: score {score}, grade {grade}, gate {gate} (threshold {threshold})"},
    "ann.gaps": {"zh": "必备项缺失：{names}", "en": "required elements missing: {names}"},
    "ann.no_gaps": {"zh": "必备项均已具备", "en": "no required element is missing"},
    "ann.credited": {"zh": "{mark} {name}：已落实", "en": "{mark} {name}: done"},
    "ann.credited_collective": {"zh": "{mark} {name}：已落实（统称）", "en": "{mark} {name}: done (collective name)"},
    "ann.credited_part": {"zh": "{mark} {name}", "en": "{mark} {name}"},
    "ann.weak": {"zh": "{mark} {name}：{message}", "en": "{mark} {name}: {message}"},
    "ann.not_credited": {"zh": "{mark} {name}：此处不算落实——{why}", "en": "{mark} {name}: does not count here — {why}"},
    "ann.why.plan": {"zh": "只是计划", "en": "only a plan"},
    "ann.why.problem": {"zh": "只在问题部分", "en": "only among the shortcomings"},
    "ann.why.negated": {"zh": "表述为缺失", "en": "stated as lacking"},
    "ann.missing": {"zh": "{mark} 缺少：{name}（{severity}）——{message}", "en": "{mark} Missing: {name} ({severity}) — {message}"},
    "ann.missing_items": {"zh": "{mark} {name}（{severity}）：缺少{items}", "en": "{mark} {name} ({severity}): missing {items}"},
    "ann.item_name": {"zh": "{rule}·{item}", "en": "{rule}: {item}"},
    "ann.no_part": {"zh": "报告没有“{part}”部分，批注在标题上", "en": "the report has no '{part}' part; noted on the title"},
    "ann.finding": {"zh": "⚠ {name}：{message}", "en": "⚠ {name}: {message}"},
    "ann.fix": {"zh": "修改建议：{text}", "en": "Fix: {text}"},
    "ann.requirement": {"zh": "要求：{text}", "en": "Requirement: {text}"},
    "ann.basis": {"zh": "依据：{text}", "en": "Basis: {text}"},
    "ann.missing_extra": {"zh": "fzcheck annotate 需要可选组件 annotate（python-docx ≥ 1.2）：pip install \"fzcheck[annotate]\"",
                          "en": "fzcheck annotate needs the optional extra 'annotate' (python-docx >= 1.2): "
                                "pip install \"fzcheck[annotate]\""},
    "ann.written": {"zh": "{src} → {out}（{n}条批注）", "en": "{src} → {out} ({n} comments)"},
}


def t(key: str, lang: str = "zh", **kwargs: object) -> str:
    entry = _MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["zh"]
    return text.format(**kwargs) if kwargs else text


def pick(text: dict[str, str] | None, lang: str) -> str:
    if not text:
        return ""
    return text.get(lang) or text.get("zh") or ""


# -- errors about inputs, outputs and limits (issue 13): one line naming the file ------------
# The language of these lines is the command's --lang (Chinese by default), set once by the
# command line with set_message_lang(); workers inherit it.
_MESSAGES.update({
    "out.cannot_write": {"zh": "无法写入输出：{why}", "en": "cannot write the output: {why}"},
    "out.is_folder": {"zh": "这是一个文件夹，不是输出文件；请用 -o 指定文件名", "en": "is a folder, not an output file; give -o a file name"},
    "out.no_folder": {"zh": "输出所在的文件夹不存在", "en": "the folder of the output does not exist"},
    "out.special": {"zh": "不是普通文件（块设备或套接字），不会写入；请另选输出", "en": "not a regular file (a block device or socket); not written, choose another output"},
    "out.is_input": {"zh": "输出会覆盖被检查的报告本身；请另选 -o", "en": "the output would overwrite a report being checked; choose another -o"},
    "out.fifo_unread": {"zh": "管道没有读取方，不会写入", "en": "a pipe nobody reads; not written"},
    "out.stdout_closed": {"zh": "标准输出已关闭", "en": "standard output is closed"},
    "run.interrupted": {"zh": "已中断，未写入任何输出", "en": "interrupted; no output written"},
    "run.worker_died": {"zh": "检查此文件的进程意外终止（内存不足或崩溃），文件未检查", "en": "the process checking this file died (out of memory or a crash); not checked"},
    "run.timeout": {"zh": "检查超过{seconds:g}秒的时间限制，文件过于复杂（可用 --timeout 放宽）", "en": "checking took longer than the limit of {seconds:g} s; the file is too complex (raise it with --timeout)"},
    "run.memory": {"zh": "检查所需内存超过{mb}MB的限制，文件过大或异常（可用 --max-memory 放宽）", "en": "checking needs more than the limit of {mb} MB of memory; the file is too large or hostile (raise it with --max-memory)"},
    "run.bad_value": {"zh": "文件内容异常，无法检查：{what}", "en": "the file holds a value that cannot be read: {what}"},
    "in.too_many_lines": {"zh": "超过{n:,}个非空行，不是单份报告（请拆分文件）", "en": "more than {n:,} non-empty lines; not a single report (split the file)"},
    "in.too_complex": {"zh": "文件结构异常：{what}，不是正常的报告", "en": "the file's structure is absurd ({what}); not a report"},
    "in.symlink_out": {"zh": "符号链接指向文件夹之外，未跟随", "en": "a symbolic link out of the folder; not followed"},
    "in.kind.odt": {"zh": "无法检查：.odt（OpenDocument）文件，请用 WPS 或 Word 另存为 .docx", "en": "cannot check: an OpenDocument (.odt) file; save it as .docx in WPS or Word"},
    "in.kind.ofd": {"zh": "无法检查：OFD 版式文件（国家电子文件格式 GB/T 33190），请用数科或福昕 OFD 阅读器导出为 PDF，或提供原 .docx", "en": "cannot check: an OFD file (China's national fixed-layout e-document format, GB/T 33190); export it to PDF in an OFD reader, or send the .docx"},
    "in.kind.rtf": {"zh": "无法检查：RTF 文件，请用 Word 或 WPS 另存为 .docx", "en": "cannot check: an RTF file; open it in Word or WPS and save as .docx"},
    "in.kind.image": {"zh": "图片或扫描件（{what}）：请先做文字识别（OCR），再检查识别出的文字", "en": "an image or scan ({what}), not a text document; run OCR first and check the text"},
    "in.kind.zip": {"zh": "无法检查：压缩包，请解压后检查其中的报告文件", "en": "cannot check: an archive; unpack it and check the report files inside"},
    "in.kind.sheet": {"zh": "无法检查：{suffix} 表格文件，不是报告", "en": "cannot check: a {suffix} spreadsheet, not a report"},
    "in.kind.slides": {"zh": "无法检查：{suffix} 演示文稿，不是报告", "en": "cannot check: {suffix} slides, not a report"},
    "cfg.not_regular": {"zh": "不是普通文件（管道、设备或文件夹）", "en": "not a regular file (a pipe, device or folder)"},
    "cfg.too_large": {"zh": "文件大于{mb}MB，不像是{what}", "en": "over {mb} MB; not a {what} file"},
    "cfg.aliases": {"zh": "YAML 别名展开过大（超过{n:,}个节点），拒绝读取", "en": "YAML aliases expand to more than {n:,} nodes; refused"},
    "cfg.too_deep": {"zh": "嵌套超过{n}层，拒绝读取", "en": "nested more than {n} levels deep; refused"},
    "cfg.bad_number": {"zh": "数值{value}无效（不接受 NaN 或无穷大）", "en": "the number {value} is not valid (NaN and infinity are refused)"},
    "cfg.long_number": {"zh": "数值{value}过长，不是合理的数值", "en": "the number {value} is too long to be a sensible value"},
    "cfg.bad_text": {"zh": "无法读取：{why}", "en": "cannot read: {why}"},
    "waiver.not_list": {"zh": "豁免文件应是条目列表，每条写明 rule 和 reason", "en": "a waivers file is a list of entries with rule and reason"},
    "waiver.needs": {"zh": "第{n}条豁免：需要文字的 rule 和 reason", "en": "waiver #{n}: needs 'rule' and 'reason' as text"},
    "waiver.expires": {"zh": "第{n}条豁免：expires 不是日期（YYYY-MM-DD）：{value}", "en": "waiver #{n}: 'expires' is not a date (YYYY-MM-DD): {value}"},
    "waiver.item": {"zh": "第{n}条豁免：item 应是该规则某一项的 id 或名称（文字）", "en": "waiver #{n}: 'item' is the id or title of one item of the rule (text)"},
    "waiver.files": {"zh": "第{n}条豁免：files 应是文件名模式或其列表（文字）", "en": "waiver #{n}: 'files' is a file-name pattern or a list of them (text)"},
})

_MESSAGE_LANG = ["zh"]


def set_message_lang(lang: str | None) -> None:
    """The language of error lines for the rest of this process (and its workers)."""
    if lang in LANGS:
        _MESSAGE_LANG[0] = lang


def msg(key: str, **kwargs: object) -> str:
    """A message in the language of error lines (see set_message_lang)."""
    return t(key, _MESSAGE_LANG[0], **kwargs)
