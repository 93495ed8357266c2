from flask import Flask, stream_template

app = Flask(__name__)

ROWS = [("Dune", 3), ("Emma & Co", 1)]


@app.context_processor
def site_globals():
    return {"site_name": "City Library"}


@app.get("/report")
def loans_report():
    return stream_template("report.html", rows=ROWS)
