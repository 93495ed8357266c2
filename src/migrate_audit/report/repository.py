"""Where the scanned files live in their git repository, and on the forge that hosts it.

Findings' paths are relative to the scanned folder (`views.py`); code scanning and pull-request comments
need them from the repository's root (`bookshelf/catalog/views.py`), or an annotation lands on another
file of the same name, or on none. The root is found without running git: the nearest folder at or
above the scanned one with a `.git` entry (a folder, or a file in worktrees and submodules).
"""
from __future__ import annotations

import os
from typing import Mapping
from urllib.parse import quote


def repository_root(folder: str | None) -> str | None:
    """The root of the git repository holding `folder` (absolute, real path), or None outside one."""
    if not folder:
        return None
    current = os.path.realpath(folder)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def repository_prefix(source_root: str | None) -> tuple[str | None, str]:
    """(the repository's root, the scanned folder's path in it as a prefix: "" or "bookshelf/catalog/")
    for the folder the findings' paths are relative to; (None, "") outside a repository."""
    top = repository_root(source_root)
    if top is None or source_root is None:
        return None, ""
    rel = os.path.relpath(os.path.realpath(source_root), top).replace(os.sep, "/")
    return top, "" if rel == "." else rel + "/"


def blob_url_base(env: Mapping[str, str] | None = None) -> str | None:
    """The address of the commit's files on the forge, from GitHub Actions' variables
    (GITHUB_SERVER_URL/GITHUB_REPOSITORY/blob/GITHUB_SHA/), or None when they are not all set."""
    env = os.environ if env is None else env
    server, repo, sha = (env.get(k, "").strip() for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    if not (server.startswith(("https://", "http://")) and repo.count("/") == 1 and sha.isalnum()):
        return None
    return f"{server.rstrip('/')}/{quote(repo)}/blob/{sha}/"
