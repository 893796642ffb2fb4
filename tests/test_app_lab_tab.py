"""The Lab tab: the report as text and figures, in order."""

from zoo.app.lab_tab import report_parts


def test_the_lab_report_is_split_into_text_and_figures(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "REPORT.md").write_text("# Lab\n\nSome text.\n\n![one](figures/a.png)\n\n| t |\n|---|\n\n"
                                        "![two](figures/b.png)\n")
    parts = report_parts(tmp_path / "REPORT.md")
    assert [kind for kind, _ in parts] == ["markdown", "figure", "markdown", "figure"]
    assert parts[0][1].strip() == "# Lab\n\nSome text." and parts[2][1].strip() == "| t |\n|---|"
    assert parts[1][1] == str((tmp_path / "figures" / "a.png").resolve())


def test_a_missing_lab_report_says_how_to_write_it(tmp_path):
    (kind, text), = report_parts(tmp_path / "REPORT.md")
    assert kind == "markdown" and "python -m zoo.report" in text
