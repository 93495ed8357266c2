"""Every link the advice gives points at a documentation site's canonical domain.

Links come from the rules (`registry.all_rules()`) and from the extension catalogue (the `ecosystem`
records and the rules built from them); prose in the proof cases is searched for retired domains too. A
moved site (www.starlette.io -> starlette.dev in 2025) is caught two ways: RETIRED names the known moves,
and with the examples extra installed the installed distributions' own metadata says where their docs
live now (`Project-URL: Documentation`), so the next move fails here without anyone editing this file.
"""
from __future__ import annotations

import importlib.metadata
import re
from urllib.parse import urlsplit

import pytest

from migrate_audit import proofs, registry
from migrate_audit.ecosystem import EXTENSIONS

# Domains the advice may link to. A new one is a reviewed addition: is it the project's canonical site?
ALLOWED = frozenset({
    "fastapi.tiangolo.com", "starlette.dev", "uvicorn.dev", "typer.tiangolo.com", "docs.pydantic.dev",
    "flask.palletsprojects.com", "werkzeug.palletsprojects.com", "jinja.palletsprojects.com",
    "quart.palletsprojects.com", "docs.sqlalchemy.org", "alembic.sqlalchemy.org", "docs.python.org",
    "pip.pypa.io", "github.com", "blinker.readthedocs.io", "python-socketio.readthedocs.io",
    "slowapi.readthedocs.io", "starlette-context.readthedocs.io", "www.python-httpx.org", "www.gevent.org",
    "python-rq.org", "strawberry.rocks", "aminalaee.github.io", "jowilf.github.io", "sabuhish.github.io",
    "uriyyo-fastapi-pagination.netlify.app",
    # The catalogue's counterparts, each the project's own documentation site (issue 19's research cites them).
    "smithyhq.github.io", "corydolphin.com", "docs.authlib.org", "docs.sentry.io", "pyjwt.readthedocs.io",
    "opentelemetry-python-contrib.readthedocs.io", "frankie567.github.io", "fastapiutils.github.io",
    "pyinstrument.readthedocs.io", "connexion.readthedocs.io", "dash.plotly.com",
    # WebTest's own documentation (the Pylons project hosts it; FMA535-536).
    "docs.pylonsproject.org",
})
# Domains a project left, and where it went.
RETIRED = {"www.starlette.io": "starlette.dev", "starlette.io": "starlette.dev",
           "www.uvicorn.org": "uvicorn.dev", "uvicorn.org": "uvicorn.dev"}
# Distribution -> the metadata key naming its documentation site, and every host its docs were ever at
# (so links to an old host are found after the next move too).
DOCS_KEY = {"fastapi": "Documentation", "starlette": "Documentation", "uvicorn": "Homepage",
            "sqlalchemy": "Documentation"}
DOCS_HOSTS = {"fastapi": {"fastapi.tiangolo.com"}, "starlette": {"starlette.dev", "www.starlette.io", "starlette.io"},
              "uvicorn": {"uvicorn.dev", "www.uvicorn.org", "uvicorn.org"},
              "sqlalchemy": {"docs.sqlalchemy.org", "www.sqlalchemy.org"}}
# A link path pinned to a documentation series: docs.sqlalchemy.org/en/21/...
_SERIES = re.compile(r"^/en/(\d)(\d+)/")
Links = list[tuple[str, str]]  # (rule code, link)

# Every rule's links (the catalogue's rules included) and the catalogue records' own.
ADVICE_LINKS: Links = ([(rule.code, link) for rule in registry.all_rules() for link in rule.links]
                       + [(ext.code, link) for ext in EXTENSIONS for link in ext.links])


def _off_domain(links: Links) -> Links:
    return [(code, link) for code, link in links
            if urlsplit(link).scheme != "https" or urlsplit(link).netloc not in ALLOWED]


def _retired(links: Links) -> Links:
    return [(code, link) for code, link in links if urlsplit(link).netloc in RETIRED]


def _translated(links: Links) -> Links:
    """FastAPI pages in another language (`/zh/tutorial/...`): the advice quotes the English ones."""
    return [(code, link) for code, link in links if urlsplit(link).netloc == "fastapi.tiangolo.com"
            and re.match(r"^/[a-z]{2}(-[a-z]+)?/", urlsplit(link).path)]


def _installed_docs(distribution: str) -> importlib.metadata.PackageMetadata | None:
    try:
        return importlib.metadata.metadata(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _off_docs_host(links: Links, distribution: str, meta: importlib.metadata.PackageMetadata) -> Links:
    """Links to a host `distribution` documented itself at that is not where its installed metadata points,
    and (SQLAlchemy) links pinned to another docs series than the installed major.minor."""
    urls = dict(entry.split(", ", 1) for entry in meta.get_all("Project-URL") or [])
    canonical = urlsplit(urls[DOCS_KEY[distribution]]).netloc
    bad = [(code, link) for code, link in links
           if urlsplit(link).netloc in DOCS_HOSTS[distribution] and urlsplit(link).netloc != canonical]
    if distribution == "sqlalchemy":
        series = tuple(meta["Version"].split(".")[:2])
        bad += [(code, link) for code, link in links if urlsplit(link).netloc == canonical
                and (m := _SERIES.match(urlsplit(link).path)) and m.groups() != series]
    return bad


def test_every_link_is_https_on_an_allowed_domain() -> None:
    assert _off_domain(ADVICE_LINKS) == [], "links to review (the canonical domain? add it to ALLOWED)"


def test_no_link_or_case_text_names_a_retired_domain() -> None:
    bad = _retired(ADVICE_LINKS)
    for proof in proofs.all_proofs():
        text = " ".join([proof.title, proof.note, proof.not_executed, *(c.why for c in proof.checks)])
        bad += [(proof.name, domain) for domain in RETIRED if re.search(rf"(?<![\w.]){re.escape(domain)}", text)]
    assert bad == [], f"retired domains ({RETIRED})"


def test_fastapi_links_are_the_english_pages() -> None:
    assert _translated(ADVICE_LINKS) == []


@pytest.mark.parametrize("distribution", sorted(DOCS_KEY))
def test_links_use_the_docs_domain_the_installed_package_names(distribution: str) -> None:
    meta = _installed_docs(distribution)
    if meta is None:
        pytest.skip(f"{distribution} is not installed (the examples extra brings it)")
    assert _off_docs_host(ADVICE_LINKS, distribution, meta) == []


def test_the_checks_find_what_they_are_for() -> None:
    # Each check on links that break it, so a check that can no longer fail is noticed.
    assert _off_domain([("X", "http://fastapi.tiangolo.com/"), ("X", "https://example.com/")]) != []
    assert _retired([("X", "https://www.starlette.io/routing/")]) != []
    assert _translated([("X", "https://fastapi.tiangolo.com/zh/tutorial/")]) != []
    assert _translated([("X", "https://fastapi.tiangolo.com/tutorial/")]) == []
    meta = _installed_docs("sqlalchemy")
    if meta is not None:
        assert _off_docs_host([("X", "https://docs.sqlalchemy.org/en/13/core/")], "sqlalchemy", meta) != []
