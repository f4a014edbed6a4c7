"""Story reports: one story's comparison as standalone HTML, Markdown or JSON (`storyline report`).

`render(detail, fmt)` takes the `storyline story ID --json` object and returns the report as text. The JSON
report is that object unchanged. The HTML report is one self-contained file (inline CSS, no scripts, no
external resources, a Content-Security-Policy that forbids loading any) drawn by a Jinja2 template with
autoescaping on. The Markdown report escapes every string that comes from an article, so rendering it
gives no HTML tags, links, headings or table cells made of article text.

The attribute x source table, the timeline order, the copy graph and the single-source claim text are laid
out as on the web story page (`layout`, shared with it), fed with light stand-ins for the articles built
from the detail's `articles` list.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePath
from typing import Any

from storyline.report import layout

FORMATS = ("html", "md", "json")
SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json"}


def format_for(path: str | None) -> str:
    """The report format a file name asks for by its suffix; html when it says nothing (or for stdout)."""
    if not path or path == "-":
        return "html"
    return SUFFIXES.get(PurePath(path).suffix.lower(), "html")


def render(detail: dict[str, Any], fmt: str) -> str:
    """The report of one story (`detail`: `Story.to_json()`) in `fmt`: html, md or json."""
    if fmt == "json":
        return json.dumps(detail, ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return render_html(detail)
    if fmt in ("md", "markdown"):
        return render_markdown(detail)
    raise ValueError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")


# what both text formats show


@dataclass(slots=True)
class _Source:
    """What the layout functions read of an article, from one entry of the detail's `articles`."""

    id: int
    title: str | None
    publisher: str | None
    url: str | None
    source: str
    published: str | None


def _stand_in(entry: dict[str, Any]) -> _Source:
    """A stand-in article; a label that is a file path (no publisher, no site) is shortened to the file name."""
    label = str(entry.get("source") or f"article {entry.get('id')}")
    is_path = not entry.get("url") and re.fullmatch(r"[^\s]*[/\\][^\s/\\]+\.\w{1,10}(?:#\d+)?", label) is not None
    return _Source(entry["id"], entry.get("title"), None if is_path else label, None, label, entry.get("published"))


def _ids(value: Any) -> list[int]:
    return [i for i in value or [] if isinstance(i, int) and not isinstance(i, bool)]


def _model(detail: dict[str, Any]) -> dict[str, Any]:
    """Everything a report shows, in the order it shows it."""
    entries = [a for a in detail.get("articles") or [] if isinstance(a, dict) and isinstance(a.get("id"), int)]
    articles = {a["id"]: _stand_in(a) for a in entries}
    labels = {i: layout.source_label(a) for i, a in articles.items()}
    members = set(_ids(detail.get("article_ids"))) | set(articles)
    comparison = layout.comparison(detail, articles)  # type: ignore[arg-type]  # duck-typed articles
    copies = [c for c in detail.get("copies") or [] if c.get("copy_of") is not None or c.get("copy_of_source")]
    headlines = [h for h in detail.get("headlines") or [] if isinstance(h, dict)]
    claims = [{"text": layout.claim_text(c), "ids": layout.claim_articles(c),
               "attribute": c.get("attribute") if c.get("attribute") not in (None, "", "statement") else None,
               "value": c.get("value")} for c in detail.get("single_source") or [] if isinstance(c, dict)]
    quotes = [q for q in detail.get("quotes") or [] if isinstance(q, dict)]
    compared = any(key in detail for key in ("summary", "contradictions", "agreements", "quotes", "timeline"))
    return {
        "story": detail, "entries": entries, "labels": labels, "members": members, "compared": compared,
        "comparison": comparison, "timeline": layout.timeline(detail),
        "summary": [s for s in detail.get("summary") or [] if isinstance(s, dict)],
        "contradictions": [c for c in detail.get("contradictions") or [] if isinstance(c, dict)],
        "claims": claims, "quotes": [q for q in quotes if _compared_quote(q)],
        "single_quotes": [q for q in quotes if not _compared_quote(q)],
        "copies": copies, "graph": _graph(detail, articles),
        "suspect": {d.get("article_id"): d.get("reason") for d in detail.get("date_suspect") or []},
        "farm": {f.get("article_id"): list(f.get("signals") or []) for f in detail.get("farm_signals") or []},
        "unsupported": [h for h in headlines if h.get("supported") is False],
        "supported": [h for h in headlines
                      if h.get("supported") is True and h.get("verdict", "supported") == "supported"],
        "unsure": [h for h in headlines if h.get("verdict") == "unsure"],
    }


def _graph(detail: dict[str, Any], articles: dict[int, _Source]) -> layout.CopyGraph | None:
    """The web page's copy arcs, its nodes labelled with article ids like the citations."""
    graph = layout.copy_graph(detail, articles)  # type: ignore[arg-type]  # duck-typed articles
    for node in graph.nodes if graph else []:
        node.label = f"[#{node.article_id}] " + re.sub(r"^\[\d+\] ", "", node.label)
    return graph


def _compared_quote(quote: dict[str, Any]) -> bool:
    """A quote with something to compare: given by two or more articles, or in two or more wordings."""
    wordings = {str(v.get("text")) for v in quote.get("variants") or [] if isinstance(v, dict)}
    return len(set(_ids(quote.get("article_ids")))) > 1 or len(wordings) > 1


# HTML


@cache
def _environment():
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["safe_href"] = layout.safe_href
    return env


def render_html(detail: dict[str, Any]) -> str:
    """A standalone HTML page; every string from the detail is escaped by the template."""
    return _environment().get_template("report.html").render(**_model(detail))


# Markdown

_INLINE = re.compile(r"[\\`*_\[\]~]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;"}
_BLOCK_START = re.compile(r"^(?:[#+=>-]|\d+[.)])")


def md_escape(value: Any) -> str:
    """Untrusted text as inert Markdown on one line.

    `& < > |` become character references (no raw HTML, no autolinks, no table cells in any renderer);
    emphasis, code, link and strike-through marks get a backslash; a leading block marker (heading, list
    item, quote, numbered item) is escaped; line breaks become spaces.
    """
    text = " ".join(str("" if value is None else value).split())
    text = "".join(_ENTITIES.get(ch, ch) for ch in _INLINE.sub(lambda m: "\\" + m.group(), text))
    return "\\" + text if _BLOCK_START.match(text) else text


def _md_cite(ids: list[int] | Any) -> str:
    return "".join(f"[#{i}]" for i in _ids(ids if isinstance(ids, list) else [ids]))


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines + [""]


def render_markdown(detail: dict[str, Any]) -> str:
    """GitHub-flavoured Markdown: a heading per section, GFM tables, citations [#id] listed at the end."""
    m = _model(detail)
    story, labels = m["story"], m["labels"]
    out = [f"# Story {md_escape(story.get('id'))}: {md_escape(story.get('title') or '(untitled story)')}", ""]
    sources = story.get("sources") or []
    out += [f"{len(m['entries'])} articles from {len(sources)} sources"
            + (f" ({md_escape(story['independent_sources'])} independent)"
               if story.get("independent_sources") is not None else "")
            + f", {md_escape(story.get('first_published') or '?')} to {md_escape(story.get('last_published') or '?')}."
            + " Citations like [#12] are article ids, listed under *Articles* at the end.", ""]
    if not m["compared"]:
        out += [f"> {md_escape(story.get('note') or 'The comparison has not been computed for this story.')}", ""]
    else:
        out += _md_comparison(m)
    out += _md_copies(m)
    out += ["## Articles", ""]
    for a in m["entries"]:
        date = a.get("published") or f"date unknown (placed on {a.get('placed_on') or '?'})"
        line = (f"- [#{a['id']}] {md_escape(a.get('title') or '(no title)')}: {md_escape(labels.get(a['id']))}, "
                f"{md_escape(date)}")
        if a.get("language"):
            line += f", {md_escape(a['language'])}"
        href = layout.safe_href(a.get("url"))
        if href:
            line += f", <{href}>" if re.fullmatch(r"https?://[^\s<>`]+", href, re.I) else f", {md_escape(href)}"
        if a.get("copy_of") is not None:
            line += f"; copy of [#{md_escape(a['copy_of'])}]"
        if a.get("credited"):
            line += f"; credits {md_escape(', '.join(map(str, a['credited'])))}"
        out.append(line)
    out += ["", "*Report generated by Storyline from `storyline story "
            f"{md_escape(story.get('id'))} --json`; article text is quoted as extracted.*", ""]
    return "\n".join(out)


def _md_comparison(m: dict[str, Any]) -> list[str]:
    out = ["## Summary", ""]
    out += [f"{n}. {md_escape(s.get('sentence'))} {_md_cite(s.get('article_id'))}"
            for n, s in enumerate(m["summary"], 1)] or ["*No summary.*"]
    out += ["", "## Timeline", ""]
    out += [f"- **{md_escape(e.get('date') or 'undated')}**: {md_escape(e.get('text'))} "
            f"{_md_cite(e.get('article_ids'))}" for e in m["timeline"]] or ["*No dated events.*"]
    out += ["", "## What each source says", ""]
    comparison = m["comparison"]
    if not comparison.rows:
        out += ["*No attribute is stated by two or more sources.*", ""]
    elif comparison.grouped:
        rows = [[(f"**{md_escape(row.attribute)}**" + (" (contradiction)" if row.conflict else "")) if n == 0 else "",
                 md_escape(value), md_escape(", ".join(names)) + " " + _md_cite(ids)]
                for row in comparison.rows for n, (value, _, ids, names) in enumerate(row.values)]
        out += _md_table(["attribute", "value", "given by"], rows)
    else:
        header = ["attribute"] + [f"{md_escape(c.label)} {_md_cite(c.article_ids)}" for c in comparison.columns]
        rows = [[f"**{md_escape(row.attribute)}**" + (" (contradiction)" if row.conflict else "")]
                + [" / ".join(md_escape(v) for v, _ in cell) or "—" for cell in row.cells]
                for row in comparison.rows]
        out += _md_table(header, rows)
    out += ["## Contradictions", ""]
    for c in m["contradictions"]:
        confidence = f" (confidence {c['confidence']:.2f})" if c.get("confidence") is not None else ""
        out.append(f"- **{md_escape(c.get('attribute'))}**{confidence}")
        for v in c.get("values") or []:
            out.append(f"  - {md_escape(v.get('value'))} {_md_cite(v.get('article_ids'))}")
            out += [f"    - “{md_escape(sentence)}”" for sentence in v.get("evidence") or []]
    if not m["contradictions"]:
        out.append("*The sources do not contradict each other on any attribute found.*")
    out += ["", "## Said by one source only", ""]
    out += [(f"- {md_escape(c['text'])} {_md_cite(c['ids'])}"
             + (f" ({md_escape(c['attribute'])}: {md_escape(c['value'])})" if c["attribute"] else ""))
            for c in m["claims"]] or ["*No claim is made by one source only.*"]
    out += ["", "## Quotes", ""]
    if m["quotes"]:
        out += ["Quoted in more than one article, with each article's wording:", ""]
    for q in m["quotes"]:
        out.append(f"- **{md_escape(q.get('speaker') or 'unknown speaker')}**: “{md_escape(q.get('text'))}” "
                   f"{_md_cite(q.get('article_ids'))}" + (" — *altered in meaning*" if q.get("altered") else ""))
        for v in q.get("variants") or []:
            similarity = v.get("similarity")
            out.append(f"  - “{md_escape(v.get('text'))}” {_md_cite(v.get('article_id'))}"
                       + (f" (similarity {similarity:.2f})" if isinstance(similarity, int | float) else "")
                       + (" — *altered in meaning*" if v.get("altered") else ""))
    if m["single_quotes"]:
        out += (["", "Quoted in one article only:", ""] if m["quotes"] else ["Quoted in one article only:", ""])
        out += [f"- **{md_escape(q.get('speaker') or 'unknown speaker')}**: “{md_escape(q.get('text'))}” "
                f"{_md_cite(q.get('article_ids'))}" for q in m["single_quotes"]]
    if not m["quotes"] and not m["single_quotes"]:
        out.append("*No quotes.*")
    out += ["", "## Headlines not supported by their text", ""]
    out += [f"- “{md_escape(h.get('headline'))}” {_md_cite(h.get('article_id'))}: {md_escape(h.get('reason') or '')}"
            + (f" (confidence {h['confidence']:.2f})" if h.get("confidence") is not None else "")
            for h in m["unsupported"]] or ["*No headline is contradicted by its article's text.*"]
    if m["unsupported"] and m["supported"]:
        out.append(f"\n{len(m['supported'])} other headline{'s are' if len(m['supported']) != 1 else ' is'} "
                   "supported by the text below it.")
    return out + [""]


def _md_copies(m: dict[str, Any]) -> list[str]:
    labels = m["labels"]
    out = ["## Copies", ""]
    if m["copies"]:
        rows = []
        for c in m["copies"]:
            similarity = c.get("similarity")
            original = c.get("copy_of")
            rows.append([f"{_md_cite(c.get('article_id'))} {md_escape(labels.get(c.get('article_id'), ''))}",
                         f"{_md_cite(original)} {md_escape(labels.get(original, ''))}" if original is not None else "",
                         md_escape(c.get("kind") or ""),
                         f"{similarity:.2f}" if isinstance(similarity, int | float) else "",
                         md_escape(c.get("copy_of_source") or "")])
        out += _md_table(["article", "copy of", "kind", "similarity", "credits"], rows)
    else:
        out += ["*No article copies another.*", ""]
    for article_id, reason in m["suspect"].items():
        out.append(f"- date suspect {_md_cite(article_id)}: {md_escape(reason)}")
    for article_id, signals in m["farm"].items():
        out.append(f"- content-farm signals {_md_cite(article_id)}: {md_escape('; '.join(map(str, signals)))}")
    return out + ([""] if m["suspect"] or m["farm"] else [])
