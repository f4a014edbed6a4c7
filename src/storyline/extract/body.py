"""Article bodies that come without a page around them (feed content, JSONL text).

Nothing is stripped: the container already isolated the article. HTML markup
is turned into paragraphs; scripts, styles and other non-content elements are
dropped with their content.
"""

from __future__ import annotations

import re

from storyline.models import Extraction

_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "br", "section",
           "article", "figcaption", "dd", "dt"}
_DROP = {"script", "style", "noscript", "iframe", "object", "embed", "svg", "template", "form", "button"}


def extract_body(content: str) -> Extraction:
    """Paragraphs of an article body given as plain text or an HTML fragment."""
    text = _from_html(content) if _TAG.search(content) else content
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n|\r\n\s*\r\n", text)]
    if len(paragraphs) == 1 and "\n" in text:  # single newlines separate paragraphs
        paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    return Extraction(text="\n\n".join(p for p in paragraphs if p))


def _from_html(content: str) -> str:
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(content, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return _TAG.sub(" ", content)
    for element in root.iter(*_DROP):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n\n" + (element.text or "")
    return root.text_content()
