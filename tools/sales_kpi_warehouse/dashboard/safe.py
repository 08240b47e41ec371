"""Values from the warehouse shown as text, never as markup, and never longer than a label.

Names in the marts (reps, teams, segments, lead sources, …) come from the CRM: a name holding
`[click](http://…)`, `![x](http://…)` or `<script>` must show as those characters, and a 1 MB
name must not freeze the browser. Every value from the data goes through one of these before
it reaches Streamlit or Plotly:

- safe_text: Markdown sinks (st.markdown, st.caption, st.info, st.metric labels and help,
  segmented_control options): every ASCII punctuation character is backslash-escaped.
- safe_html: Plotly strings (titles, axis categories, trace names, hover texts), which Plotly
  renders as a subset of HTML (`<a href>`, `<b>`, `<br>`): `& < > " '` become entities.
- plain_text: plain-text sinks (st.selectbox options, st.dataframe cells, delta descriptions).

All three first cut the value to `max_chars` (an ellipsis marks the cut) and turn control
characters (newlines, tabs, …) into spaces, so a value stays on one line.
"""

from __future__ import annotations

import html
import re
import string

LABEL_CHARS = 80  # names in labels, captions, options and chart categories
CELL_CHARS = 1000  # table cells and hover texts: the long form, still bounded
ELLIPSIS = "…"

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MARKDOWN_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")


def plain_text(value: object, max_chars: int = LABEL_CHARS) -> str:
    """`value` as one line of at most `max_chars` characters (`…` at the end when cut)."""
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    text = str(value)
    if len(text) > max_chars:
        text = text[: max_chars - 1] + ELLIPSIS
    return _CONTROL.sub(" ", text)


def safe_text(value: object, max_chars: int = LABEL_CHARS) -> str:
    """plain_text with every Markdown (and HTML) special character escaped: Streamlit shows it
    literally - no link, image, emphasis, heading, directive, LaTeX or raw HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", plain_text(value, max_chars))


def safe_html(value: object, max_chars: int = LABEL_CHARS) -> str:
    """plain_text with `& < > " '` as HTML entities: Plotly shows it literally."""
    return html.escape(plain_text(value, max_chars), quote=True)
