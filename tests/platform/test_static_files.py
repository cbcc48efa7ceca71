"""Static files in production: hashed names, gzip and Brotli copies, and a long cache.
Pages are light on slow connections only if each file is sent small and once."""

import re
import urllib.request

import pytest

from tests.support.production_server import ProductionServer, collect_static

ONE_YEAR = 365 * 24 * 60 * 60


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    collect_static(root)
    return root


@pytest.fixture
def server(static_root, tmp_path, transactional_db):
    running = ProductionServer(static_root=static_root, log_path=tmp_path / "gunicorn.log").start()
    yield running
    running.stop()


def fetch(url: str, encoding: str = "identity"):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


HASHED = re.compile(r"\.[0-9a-f]{12}\.(css|js|svg|png)$")


@pytest.mark.parametrize(
    ("folder", "stem", "suffix"),
    [
        ("vendor/bootstrap-5.3.9/css", "bootstrap.min", "css"),
        ("css", "livingwell", "css"),
        ("js", "livingwell", "js"),
        ("js", "report-concern", "js"),
    ],
)
def test_collectstatic_writes_hashed_names_with_gzip_and_brotli_copies(static_root, folder, stem, suffix):
    hashed = [path for path in (static_root / folder).glob(f"{stem}.*.{suffix}") if HASHED.search(path.name)]
    assert hashed, f"no hashed copy of {folder}/{stem}.{suffix}"
    for path in hashed:
        assert path.with_name(path.name + ".gz").exists(), path
        assert path.with_name(path.name + ".br").exists(), path


def test_pages_link_hashed_files_that_are_sent_compressed_and_cached_for_a_year(server):
    status, _, body = fetch(f"{server.url}/accounts/login/")
    assert status == 200
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', body.decode())
    assert any("bootstrap.min." in link for link in links), links
    for link in links:
        assert HASHED.search(link), f"{link} has no hashed name"
        for encoding in ("br", "gzip"):
            status, headers, _ = fetch(server.url + link, f"{encoding}, deflate")
            assert status == 200
            # A tiny icon gains nothing from compression; a PNG is compressed already.
            if not link.endswith((".svg", ".png")):
                assert headers.get("Content-Encoding") == encoding, (link, headers)
            cache = headers["Cache-Control"]
            max_age = int(re.search(r"max-age=(\d+)", cache).group(1))
            assert max_age >= ONE_YEAR, (link, cache)
            assert "immutable" in cache, (link, cache)
            assert "public" in cache, (link, cache)
    _, _, plain = fetch(server.url + next(link for link in links if "bootstrap.min." in link))
    _, _, brotli = fetch(server.url + next(link for link in links if "bootstrap.min." in link), "br")
    assert len(brotli) < len(plain) / 5
