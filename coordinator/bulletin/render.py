"""The section's text in every format: Markdown, plain text, HTML (a standalone page in the
bulletin's style) and .docx (the heading and real bullet lists, Swedish set on the document).

The text is the coordinator's (edited) body: a line starting with "- " is a bullet, other
lines are paragraphs, a blank line ends a list. ``from_section`` writes the first body.
"""
import io
from dataclasses import dataclass

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from markupsafe import escape

from .section import TITLE

PLANNED_HEADING = "Planerat"


@dataclass
class Block:
    kind: str  # "bullets" or "paragraph"
    items: list


def from_section(section):
    """The first body of a draft: the section's lines as bullets, what is planned, the footnote."""
    parts = [f"- {line}" for line in section.lines]
    if section.planned:
        parts += ["", PLANNED_HEADING, ""] + [f"- {line}" for line in section.planned]
    parts += ["", section.footnote]
    return "\n".join(parts) + "\n"


def blocks(body):
    out = []
    for raw in (body or "").splitlines():
        line = raw.strip()
        if not line:
            if out and out[-1].kind == "bullets":
                out.append(Block("paragraph", []))  # a blank line ends the list
            continue
        if line.startswith(("- ", "* ", "• ")):
            if out and out[-1].kind == "bullets":
                out[-1].items.append(line[2:].strip())
            else:
                out.append(Block("bullets", [line[2:].strip()]))
        else:
            out.append(Block("paragraph", [line]))
    return [b for b in out if b.items]


def _plain(heading, body):
    """The body as lines of text under ``heading`` (Markdown and plain text differ only there)."""
    parts = heading + [""]
    for block in blocks(body):
        parts += [f"- {item}" for item in block.items] if block.kind == "bullets" else block.items
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def to_markdown(body, title=TITLE):
    return _plain([f"## {title}"], body)


def to_text(body, title=TITLE):
    return _plain([title, "=" * len(title)], body)


STYLE = ("body{font-family:Calibri,Arial,sans-serif;max-width:42rem;margin:2rem auto;line-height:1.5;color:#111}"
         "h2{font-size:1.3rem;border-bottom:2px solid #1d4f91;padding-bottom:.2rem}"
         "li{margin:.3rem 0}p.note{font-size:.9rem;color:#333}")


def to_html(body, title=TITLE, period_text=""):
    """A standalone page (no script, no external resource), every text escaped."""
    parts = ["<!doctype html>", '<html lang="sv">', "<head>", '<meta charset="utf-8">',
             f"<title>{escape(title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
             f"<h2>{escape(title)}</h2>"]
    if period_text:
        parts.append(f"<p>{escape(period_text)}</p>")
    for block in blocks(body):
        if block.kind == "bullets":
            parts.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>")
        else:
            parts += [f"<p>{escape(item)}</p>" for item in block.items]
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def to_docx(body, title=TITLE):
    """Bytes of a .docx: the heading, bullet lists in Word's own list style, Swedish set on the
    document and its default style, ready to paste into the bulletin's Word file."""
    document = Document()
    document.core_properties.language = "sv-SE"
    document.core_properties.title = title
    style = document.styles["Normal"]
    run_properties = style.element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "sv-SE")
    run_properties.append(language)
    document.add_heading(title, level=2)
    for block in blocks(body):
        if block.kind == "bullets":
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        else:
            for item in block.items:
                document.add_paragraph(item)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(body, fmt, period_text=""):
    """(bytes, filename extension) of ``body`` in ``fmt`` (md, txt, html, docx)."""
    if fmt == "md":
        return to_markdown(body).encode("utf-8")
    if fmt == "txt":
        return to_text(body).encode("utf-8")
    if fmt == "html":
        return to_html(body, period_text=period_text).encode("utf-8")
    if fmt == "docx":
        return to_docx(body)
    raise ValueError(f"unknown format {fmt!r}")
