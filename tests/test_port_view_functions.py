"""`migrate-audit port`: what a view declares that FastAPI reads otherwise (async def, a Flask return
annotation) and the app's logger."""
from __future__ import annotations

from pathlib import Path

from _port_support import ported as _ported




def test_a_blocking_async_view_becomes_def_unless_it_awaits(tmp_path: Path) -> None:
    text = _ported(tmp_path, '''\
        import asyncio
        import time

        from flask import Flask
        from flask.typing import ResponseReturnValue

        app = Flask(__name__)


        @app.get("/slow")
        async def slow() -> ResponseReturnValue:
            time.sleep(1)
            return {"done": True}


        @app.get("/mixed")
        async def mixed():
            time.sleep(1)
            await asyncio.sleep(0)
            return {"done": True}
        ''')
    assert "def slow():" in text and "async def slow" not in text
    assert "async def mixed():" in text and "await `run_in_threadpool" not in text
    assert "the view also awaits" in " ".join(text.replace("#   ", " ").split())
    assert "flask.typing" not in text


def test_the_app_logger_is_the_modules_logger(tmp_path: Path) -> None:
    text = _ported(tmp_path, '''\
        from flask import Flask

        app = Flask(__name__)


        @app.get("/")
        def home():
            app.logger.info("home")
            app.logger.warning("again")
            return {}
        ''')
    assert 'getLogger(__name__).info("home")' in text and 'getLogger(__name__).warning("again")' in text
    assert "from logging import getLogger" in text and text.count("TODO(migrate-audit FMA510)") == 1
    assert "app = FastAPI()" in text
