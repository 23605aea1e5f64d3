"""The default theme: translated UI strings, relative URLs, pagination window."""

from __future__ import annotations

import re

import yaml

from conftest import ROOT
from generator.render.environment import relative_url
from generator.structure.pagination import paginate

THEME = ROOT / "themes" / "default"


def test_every_translated_string_has_a_traditional_form():
    catalogue = yaml.safe_load((THEME / "locales" / "zh-Hant.yaml").read_text(encoding="utf-8"))
    used = set()
    for template in (THEME / "templates").iterdir():
        # `_("首页")` and `_("首页", frame)` (a string in the site's navigation) alike.
        used |= set(re.findall(r"""_\(\s*["']([^"']+)["']\s*[,)]""", template.read_text(encoding="utf-8")))
    missing = used - set(catalogue)
    assert not missing, f"add to locales/zh-Hant.yaml: {sorted(missing)}"
    # Strings computed in Python and translated in templates.
    from generator.config import VALIDITY_STATES
    from generator.documents.interpretation import FORMS as INTERPRETATION_FORMS
    from generator.documents.interpretation import SECTIONS
    from generator.documents.policy import Notice

    computed = set(VALIDITY_STATES) | set(INTERPRETATION_FORMS) | {f + "解读" for f in INTERPRETATION_FORMS}
    computed |= {name for name, _ in SECTIONS}
    from generator.documents.decision_catalogue import STATES as DECISION_STATES
    from generator.documents.draft import KINDS as DRAFT_KINDS
    from generator.documents.draft.model import STATUS_CLASSES

    computed |= set(DRAFT_KINDS) | set(STATUS_CLASSES) | set(DECISION_STATES)
    for state in ("已修改", "失效", "废止"):
        computed |= {Notice(state, None, []).headline, Notice(state, None, []).original_headline}
    missing = computed - set(catalogue)
    assert not missing, f"add to locales/zh-Hant.yaml: {sorted(missing)}"


def test_relative_urls():
    assert relative_url("", "zcwj/a/") == "zcwj/a/"
    assert relative_url("zcwj/a/", "") == "../../"
    assert relative_url("zcwj/a/", "zcwj/a/") == "./"
    assert relative_url("zcwj/a/", "static/site.css") == "../../static/site.css"
    assert relative_url("zcwj/a/", "tags/企业/") == "../../tags/%E4%BC%81%E4%B8%9A/"
    assert relative_url("a/", "b/#第一条") == "../b/#%E7%AC%AC%E4%B8%80%E6%9D%A1"


def test_pagination_window_has_gaps():
    pagers = paginate(list(range(200)), 10, "x/")
    assert len(pagers) == 20
    assert pagers[9].window == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert pagers[0].window == [1, 2, 3, None, 20]
    assert pagers[0].prev_url is None and pagers[0].next_url == "x/page/2/"
    assert paginate([], 10, "x/")[0].items == []


def _theme_with(tmp_path, template: str, after: str, insert: str):
    """A copy of the default theme with ``insert`` on a line of its own after ``after`` in ``template``;
    returns the theme folder and the line the insert is on."""
    import shutil

    theme = tmp_path / "theme"
    shutil.copytree(THEME, theme)
    path = theme / "templates" / template
    text = path.read_text(encoding="utf-8")
    at = text.index(after) + len(after)
    path.write_text(text[:at] + "\n" + insert + text[at:], encoding="utf-8")
    return theme, text[:at].count("\n") + 2


def test_a_template_error_is_located_also_in_templates_compiled_by_an_earlier_build(site, tmp_path):
    """Templates are compiled once and kept beside the output between builds; an error that content brings
    out later, in a template compiled then, still names the template file and line, and writes nothing."""
    theme, line = _theme_with(tmp_path, "policy.html", "{% block main %}",
                              '{% if doc.title == "触发" %}{{ doc.no_such_field }}{% endif %}')
    site.policy("a", 标题="普通标题")
    argv = ["build", "--content", str(site.content), "--output", str(site.output), "--theme", str(theme),
            "--lang", "en"]
    assert site.run(*argv, raw=True).returncode == 0
    assert any((site.root / ".output.cache" / "templates").iterdir())  # compiled templates kept
    before = site.tree_digest()
    site.policy("a", 标题="触发")
    result = site.run(*argv, raw=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"templates/policy.html:{line}: error: error while rendering policy.html" in result.stderr
    assert "no_such_field" in result.stderr
    assert site.tree_digest() == before
    # Fixing the template (its source changed: the kept compiled one is not used) builds again.
    (theme / "templates" / "policy.html").write_text((THEME / "templates" / "policy.html").read_text(
        encoding="utf-8"), encoding="utf-8")
    assert site.run(*argv, raw=True).returncode == 0
    assert "触发" in site.page("zcwj/a/").h1.get_text()


def test_templates_compiled_before_the_workers_start_report_errors_only_where_used(site, tmp_path):
    """A parallel build compiles every template of the theme before forking its workers: a template no page
    uses may be broken (as before), and a broken one a page uses is still reported at its file and line."""
    theme, _ = _theme_with(tmp_path, "policy.html", "{% block main %}", "")
    (theme / "templates" / "unused.html").write_text("{% if %}\n", encoding="utf-8")
    for n in range(70):  # pages enough for the workers (generator.parallel.MIN_PARALLEL_ITEMS)
        site.policy(f"p{n}", 标题=f"普通标题{n}")
    argv = ["build", "--content", str(site.content), "--output", str(site.output), "--theme", str(theme),
            "--lang", "en", "--jobs", "2"]
    assert site.run(*argv, raw=True).returncode == 0
    path = theme / "templates" / "policy.html"
    text = path.read_text(encoding="utf-8")
    line = text[:text.index("{% block main %}")].count("\n") + 1
    path.write_text(text.replace("{% block main %}", "{% block main %}{% if %}", 1), encoding="utf-8")
    result = site.run(*argv, raw=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"templates/policy.html:{line}: error: template syntax error" in result.stderr
