from flask import Flask, Response, request, stream_with_context

app = Flask(__name__)

BOOKS = ["Dune", "Emma", "Ulysses", "Beloved"]


@app.get("/books/export.csv")
def export_books():
    def generate():
        limit = request.args.get("limit", 2, type=int)  # needs stream_with_context
        yield "id,title\n"
        for i, title in enumerate(BOOKS[:limit], start=1):
            yield f"{i},{title}\n"

    return Response(stream_with_context(generate()), mimetype="text/csv")
