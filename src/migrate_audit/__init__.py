"""migrate-audit: how ready is a Flask codebase to move to FastAPI, and what exactly has to change."""
from __future__ import annotations

__version__ = "0.1.0"
