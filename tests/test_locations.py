from fzcheck.render.common import place_text


def test_pdf_evidence_names_page_and_line():
    assert place_text({"page": 3, "line": 12}, 12, "zh") == "第3页第12行"
    assert place_text({"page": 3, "line": 12}, 12, "en") == "page 3, line 12"


def test_docx_evidence_names_paragraph_and_cell():
    assert place_text({"paragraph": 7}, None, "zh") == "第7段"
    assert place_text({"paragraph": 9, "table": 1, "row": 2, "cell": 3}, None, "en") == \
        "paragraph 9 table 1, row 2, cell 3"


def test_text_evidence_names_the_line():
    assert place_text({"line": 5}, 5, "zh") == "第5行"
    assert place_text({}, None, "zh") == ""


def test_profile_shown_in_every_human_format(ruleset, sample_path):
    from fzcheck.engine.check import Options, check_path
    from fzcheck.render import Report, render

    d = check_path(str(sample_path), ruleset, Options(profile="auto"))
    assert d.profile and d.profile["name"] == "township"
    report = Report(ruleset.id, ruleset.version, [d])
    for fmt in ("text", "markdown", "html"):
        out = render(report, fmt)
        assert "单位类别" in out and "青禾镇" in out.split("单位类别", 1)[1][:200], fmt
