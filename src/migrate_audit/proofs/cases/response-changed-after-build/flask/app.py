from flask import Flask, jsonify, make_response

app = Flask(__name__)


@app.get("/books/<int:book_id>")
def get_book(book_id):
    response = jsonify(error="not found", id=book_id)
    response.status_code = 404
    return response


@app.get("/export.csv")
def export():
    resp = make_response("id,title\n1,Dune\n")
    resp.mimetype = "text/csv"
    resp.headers.add("X-Rows", "1")
    return resp
