from flask import Flask
from prometheus_client import CollectorRegistry
from prometheus_flask_exporter import PrometheusMetrics

app = Flask(__name__)
# A registry of its own only because the proof runs both apps in one process; the default works the same.
metrics = PrometheusMetrics(app, registry=CollectorRegistry())


@app.get("/books/<int:book_id>")
def get_book(book_id):
    return {"id": book_id}
