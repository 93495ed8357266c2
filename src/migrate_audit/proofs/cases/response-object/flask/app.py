from flask import Flask, Response

app = Flask(__name__)

BOOKS = [(1, "Dune"), (2, "Emma")]


@app.get("/books.csv")
def export_books():
    csv_text = "id,title\n" + "".join(f"{i},{t}\n" for i, t in BOOKS)
    return Response(csv_text, mimetype="text/csv", headers={"Content-Disposition": "inline; filename=books.csv"})


@app.post("/books/import")
def import_books():
    return Response("queued\n", status=202, mimetype="text/plain")
