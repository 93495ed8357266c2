from pathlib import Path

from fastapi.testclient import TestClient
from fastapi_cli.discover import get_import_data
from uvicorn.importer import import_from_string


def served_by_the_command():
    found = import_from_string(get_import_data(path=Path("app.py")).import_string)  # what `fastapi run app.py` does
    response = TestClient(found).get("/")
    return [response.status_code, response.text]
