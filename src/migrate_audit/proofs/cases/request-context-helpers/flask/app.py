from flask import Flask, has_request_context, request

app = Flask(__name__)


def audit_source():
    return f"web {request.path}" if has_request_context() else "batch job"


@app.get("/books/<int:book_id>")
def book(book_id):
    return {"source": audit_source()}
