from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from fastapi.templating import Jinja2Templates

app = FastAPI()
templates = Jinja2Templates(directory="templates")

ROWS = [("Dune", 3), ("Emma & Co", 1)]


def site_globals():
    return {"site_name": "City Library"}  # was a Flask context processor: pass it yourself


@app.get("/report")
def loans_report():
    template = templates.get_template("report.html")
    return StreamingResponse(template.generate(rows=ROWS, **site_globals()), media_type="text/html")
