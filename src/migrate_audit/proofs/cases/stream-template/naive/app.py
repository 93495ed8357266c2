from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from fastapi.templating import Jinja2Templates

app = FastAPI()
templates = Jinja2Templates(directory="templates")

ROWS = [("Dune", 3), ("Emma & Co", 1)]


@app.get("/report")
def loans_report():
    template = templates.get_template("report.html")
    # Flask's context processor is gone and Jinja renders the missing name as nothing
    return StreamingResponse(template.generate(rows=ROWS), media_type="text/html")
