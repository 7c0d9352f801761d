"""HTML pages: visible text only, one line per block, <title> as the title, deep and large pages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from painpoint.errors import InputError
from painpoint.ingest import read_document

from .builders import PLAN_PARAGRAPH

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>某市民政事业发展“十四五”规划</title>
  <style>.nav { color: red } 样式文字</style>
  <script>var x = "脚本文字";</script>
</head>
<body>
  <header class="site"><a href="/">首页</a> 网站页头</header>
  <nav><ul><li>导航一</li><li>导航二</li></ul></nav>
  <noscript>请启用脚本</noscript>
  <main>
    <article>
      <header><h1>某市民政事业发展“十四五”规划</h1></header>
      <p>第一章　总体要求</p>
      <p>{paragraph}</p>
      <div>加强<b>社区</b>养老服务，<a href="#">推进</a>“一老一小”工作。<br>到２０２５年基本建成。</div>
      <ul><li>健全社会救助体系</li><li>发展慈善事业</li></ul>
      <table><tr><td>指标</td><td>目标值</td></tr><tr><td>养老床位</td><td>35张</td></tr></table>
      <div style="display: none">隐藏文字</div>
      <p hidden>隐藏段落</p>
      <!-- 注释文字 -->
      <pre>第一行
第二行</pre>
      <template><p>模板文字</p></template>
    </article>
  </main>
  <aside>侧栏文字</aside>
  <form><input name="q"><button>搜索按钮</button>表单文字</form>
  <iframe src="x.html">框架文字</iframe>
  <svg><title>图形标题</title><text>图形文字</text></svg>
  <footer>版权所有 网站页脚</footer>
</body>
</html>
""".replace("{paragraph}", PLAN_PARAGRAPH)


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_visible_text_only_one_line_per_block(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "plan.html", PAGE.encode()))
    assert doc.lines == (
        "某市民政事业发展“十四五”规划",
        "第一章 总体要求",
        PLAN_PARAGRAPH,
        "加强社区养老服务，推进“一老一小”工作。",
        "到2025年基本建成。",
        "健全社会救助体系",
        "发展慈善事业",
        "指标",
        "目标值",
        "养老床位",
        "35张",
        "第一行",
        "第二行",
    )
    assert doc.line_numbers == tuple(range(1, len(doc.lines) + 1))
    assert doc.title == "某市民政事业发展“十四五”规划"
    assert doc.format == "html"
    assert doc.encoding == "utf-8"


def test_nothing_from_code_chrome_or_hidden_elements(tmp_path: Path) -> None:
    text = read_document(write(tmp_path, "plan.htm", PAGE.encode())).text
    for absent in ("样式", "脚本", "网站页头", "导航", "请启用", "隐藏", "注释", "模板",
                   "侧栏", "搜索", "表单", "框架", "图形", "网站页脚", "首页"):
        assert absent not in text


def test_meta_charset_gb2312_reads_as_gb18030(tmp_path: Path) -> None:
    # 镕 is outside GB2312, yet pages labelled gb2312 contain it; decoding as GB18030 keeps it.
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            "<title>通知</title></head><body><p>朱镕同志：</p><p>" + PLAN_PARAGRAPH + "</p></body></html>")
    doc = read_document(write(tmp_path, "notice.html", page.encode("gb18030")))
    assert doc.lines == ("朱镕同志：", PLAN_PARAGRAPH)
    assert doc.encoding == "gb18030"
    assert doc.title == "通知"


def test_wrong_meta_charset_loses_to_valid_utf8(tmp_path: Path) -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>社区养老</p></body></html>'
    doc = read_document(write(tmp_path, "page.html", page.encode()))
    assert doc.lines == ("社区养老",)


def test_entities_are_decoded(tmp_path: Path) -> None:
    page = "<p>社区&nbsp;养老&amp;托育&lt;试点&gt;&#x4E00;老</p>"
    assert read_document(write(tmp_path, "page.html", page.encode())).lines == ("社区 养老&托育<试点>一老",)


def test_page_without_visible_text(tmp_path: Path) -> None:
    page = "<html><head><title>空</title><script>alert(1)</script></head><body><nav>导航</nav></body></html>"
    with pytest.raises(InputError) as caught:
        read_document(write(tmp_path, "empty.html", page.encode()))
    assert caught.value.message == "no text found"


def test_fragment_without_html_or_body(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "frag.html", "社区养老<br>托育服务".encode()))
    assert doc.lines == ("社区养老", "托育服务")
    assert doc.title is None


@pytest.mark.parametrize("tag", ["div", "span"])
def test_ten_thousand_levels_deep(tmp_path: Path, tag: str) -> None:
    depth = 10_000
    page = f"<html><body>{f'<{tag}>层' * depth}最深处的文字{f'</{tag}>' * depth}</body></html>"
    doc = read_document(write(tmp_path, "deep.html", page.encode()))
    assert "最深处的文字" in doc.text
    assert doc.text.count("层") == depth


def test_unclosed_tags_nested_deeply(tmp_path: Path) -> None:
    page = "<div><p>段落" * 20_000 + "结尾"
    doc = read_document(write(tmp_path, "broken.html", page.encode()))
    assert doc.lines[-1].endswith("结尾")


def test_large_page_within_the_limit(tmp_path: Path) -> None:
    paragraph = f"<p>{PLAN_PARAGRAPH}</p>\n"
    count = 4 * 1024 * 1024 // len(paragraph.encode())
    page = "<html><head><title>大文件</title></head><body>" + paragraph * count + "</body></html>"
    start = time.perf_counter()
    doc = read_document(write(tmp_path, "big.html", page.encode()))
    assert time.perf_counter() - start < 30
    assert len(doc.lines) == count
    assert doc.lines[-1] == PLAN_PARAGRAPH
