"""Reading a list page's own links, to find its deepest page whichever paging it uses."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import urljoin

LINK = re.compile(r'<a\b[^>]*href="([^"]*)"[^>]*>(.*?)</a>', re.S | re.I)
PAGE_OF = re.compile(r"Page\s+\d[\d,]*\s+of\s+(\d[\d,]*)", re.I)
TAG = re.compile(r"<[^>]+>")


def links(page: str) -> list[tuple[str, str]]:
    """(href, visible text) of every link."""
    return [(html.unescape(href), TAG.sub("", text).strip()) for href, text in LINK.findall(page)]


def deepest_page(url: str, get: Callable[[str], str], max_steps: int = 5000) -> str:
    """The URL of the last page of the list at `url`: the "Page 1 of N" numbering's page N,
    a "last"/"oldest" link, or else the end of the chain of "older"/"next" links."""
    page = get(url)
    numbered = PAGE_OF.search(TAG.sub(" ", page))
    if numbered:
        last = int(numbered.group(1).replace(",", ""))
        base = url.split("?")[0]
        query = url.split("?")[1] if "?" in url else ""
        keep = "&".join(part for part in query.split("&") if part and not part.startswith("page="))
        return f"{base}?{keep + '&' if keep else ''}page={last}"
    for href, text in links(page):
        if re.search(r"\b(last|oldest)\b", text, re.I):
            return urljoin(url, href)
    current = url
    for _ in range(max_steps):
        onward = [href for href, text in links(page) if re.search(r"\b(older|next)\b", text, re.I)]
        if not onward:
            return current
        current = urljoin(current, onward[-1])
        page = get(current)
    return current
