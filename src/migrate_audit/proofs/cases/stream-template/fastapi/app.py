from collections.abc import Iterator

from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from fastapi.templating import Jinja2Templates

app = FastAPI()
templates = Jinja2Templates(directory="templates")

ROWS = [("Dune", 3), ("Emma & Co", 1)]


class HTMLStreamingResponse(StreamingResponse):
    media_type = "text/html"


def site_globals():
    return {"site_name": "City Library"}  # was a Flask context processor: pass it yourself


@app.get("/report", response_class=HTMLStreamingResponse)
def loans_report() -> Iterator[str]:
    template = templates.get_template("report.html")
    yield from template.generate(rows=ROWS, **site_globals())
