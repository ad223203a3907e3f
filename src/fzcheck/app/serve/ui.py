"""Words of the page (Chinese by default, English with the switch)."""
from __future__ import annotations

from fzcheck.i18n import t as core_t

UI: dict[str, dict[str, str]] = {
    "app": {"zh": "法治政府建设年度报告审阅台", "en": "Annual report review desk"},
    "tagline": {"zh": "拖入一个地区的报告（.docx、.pdf、网页、文本，或其 .zip 压缩包），逐篇审阅检查结果。",
                "en": "Drop a region's reports (.docx, .pdf, web pages, text, or a .zip of them) and review each check."},
    "drop": {"zh": "把报告文件或 .zip 拖到这里，或", "en": "Drop report files or a .zip here, or"},
    "choose": {"zh": "选择文件", "en": "choose files"},
    "uploading": {"zh": "正在上传…", "en": "Uploading…"},
    "upload_failed": {"zh": "上传失败", "en": "Upload failed"},
    "private": {"zh": "批次只能通过其地址打开：请收藏本页地址，明天还可以回来继续。",
                "en": "A batch opens only from its address: bookmark this page to come back tomorrow."},
    "batch": {"zh": "审阅批次", "en": "Review batch"},
    "add_files": {"zh": "再添加文件", "en": "Add files"},
    "progress": {"zh": "已检查 {done}/{total}", "en": "Checked {done}/{total}"},
    "only_failing": {"zh": "只看未通过门槛的", "en": "Only reports failing the gate"},
    "file": {"zh": "文件", "en": "File"},
    "unit": {"zh": "单位", "en": "Unit"},
    "year": {"zh": "年度", "en": "Year"},
    "score": {"zh": "得分", "en": "Score"},
    "grade": {"zh": "等级", "en": "Grade"},
    "gate": {"zh": "门槛", "en": "Gate"},
    "status": {"zh": "状态", "en": "Status"},
    "reviewed": {"zh": "复核后", "en": "Reviewed"},
    "original": {"zh": "检查结果", "en": "Checker's call"},
    "queued": {"zh": "排队检查中", "en": "queued"},
    "error": {"zh": "无法检查", "en": "not checked"},
    "passed": {"zh": "通过", "en": "pass"},
    "failed": {"zh": "未通过", "en": "fail"},
    "open": {"zh": "打开", "en": "open"},
    "downloads": {"zh": "下载", "en": "Downloads"},
    "dl_html": {"zh": "差距报告（HTML，可打印）", "en": "Gap report (HTML, printable)"},
    "dl_csv": {"zh": "覆盖矩阵（CSV）", "en": "Coverage matrix (CSV)"},
    "dl_json": {"zh": "检查结果（JSON）", "en": "Results (JSON)"},
    "dl_reviewed": {"zh": "复核结果（JSON）", "en": "Reviewed results (JSON)"},
    "dl_waivers": {"zh": "豁免文件（waivers.yaml）", "en": "Waivers file (waivers.yaml)"},
    "dl_docx": {"zh": "带批注的 Word 副本", "en": "Word copy with comments"},
    "delete": {"zh": "删除本批次", "en": "Delete this batch"},
    "delete_confirm": {"zh": "删除本批次的全部文件、结果和复核意见？", "en": "Delete every file, result and review of this batch?"},
    "deleted": {"zh": "批次已删除。", "en": "The batch was deleted."},
    "back": {"zh": "返回批次", "en": "Back to the batch"},
    "new_batch": {"zh": "新建批次", "en": "New batch"},
    "print": {"zh": "打印", "en": "Print"},
    "rules": {"zh": "检查项", "en": "Rules"},
    "text": {"zh": "报告原文（按 fzcheck 读取的段落）", "en": "The report's text (paragraphs as fzcheck read them)"},
    "agree": {"zh": "同意", "en": "Agree"},
    "overrule": {"zh": "推翻", "en": "Overrule"},
    "undo": {"zh": "撤销", "en": "Undo"},
    "reason": {"zh": "理由（推翻时必填）", "en": "Reason (required to overrule)"},
    "need_reason": {"zh": "推翻一项检查结果须写明理由。", "en": "Give a reason to overrule a call."},
    "agreed": {"zh": "已同意", "en": "agreed"},
    "review_item": {"zh": "复核此项", "en": "Review this item"},
    "overruled": {"zh": "已推翻", "en": "overruled"},
    "review_note": {"zh": "推翻的检查项按豁免处理，不计入得分和门槛；推翻某一项（如“风险评估”）时，该规则按其余各项重新计分；原检查结果保留。",
                    "en": "An overruled rule is waived: it leaves the score and the gate; an overruled item leaves its rule, "
                          "whose credit is computed again over the other items. The checker's call is kept."},
    "note.not_counted": {"zh": "{what}，不计分", "en": "{what}: not credited"},
    "note.missing": {"zh": "未见", "en": "not found"},
    "not_found": {"zh": "没有这个批次或报告。", "en": "No such batch or report."},
    "token_needed": {"zh": "需要访问令牌：请打开服务启动时打印的地址（含 ?token=…）。",
                     "en": "A token is needed: open the address printed when the server started (with ?token=…)."},
    "no_js": {"zh": "本页需要启用 JavaScript 来上传和刷新进度。", "en": "This page needs JavaScript to upload and show progress."},
    "lang_switch": {"zh": "English", "en": "中文"},
    "sort_hint": {"zh": "点击列标题排序", "en": "click a column heading to sort"},
    "evidence_at": {"zh": "跳到原文", "en": "go to the text"},
    "profile": {"zh": "单位类别", "en": "Profile"},
    "threshold": {"zh": "门槛分", "en": "threshold"},
}


def translate(key: str, lang: str, **kw) -> str:
    entry = UI.get(key)
    if entry is None:
        return core_t(key, lang, **kw)  # status., hit., item., severity. … from the CLI's words
    text = entry.get(lang) or entry["zh"]
    return text.format(**kw) if kw else text


def js_words(lang: str) -> dict[str, str]:
    keys = ("queued", "error", "passed", "failed", "open", "progress", "uploading", "upload_failed",
            "delete_confirm", "reviewed")
    out = {k: translate(k, lang) for k in keys}
    for st in ("pass", "partial", "fail", "not_applicable", "waived"):
        out["status." + st] = core_t("status." + st, lang)
    return out
