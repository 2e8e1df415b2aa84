"""MkDocs hook: links from a page to files outside docs/ point at the repository on GitHub.

The Markdown pages are read on GitHub too, where ``../src/breachrules/data/facts.toml`` works;
on the site such a link would be broken, so it is rewritten to the file on GitHub.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

REPOSITORY = "https://github.com/breachrules/breachrules/blob/main/"
_LINK = re.compile(r"\]\((\.\./[^)\s]+)\)")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Rewrite relative links that leave docs/ to absolute links into the repository."""
    page_dir = posixpath.dirname(page.file.src_uri)

    def rewrite(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join("docs", page_dir, match.group(1)))
        if target.startswith(("docs/", "..")):
            return match.group(0)
        return f"]({REPOSITORY}{target})"

    return _LINK.sub(rewrite, markdown)
