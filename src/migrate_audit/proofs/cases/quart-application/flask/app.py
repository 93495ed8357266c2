from quart import Quart, request

app = Quart(__name__)
BOOKS = [{"id": 1, "title": "Dune"}, {"id": 2, "title": "Emma"}]


@app.get("/books")
async def list_books():
    q = request.args.get("q", "").lower()
    return [book for book in BOOKS if q in book["title"].lower()]


@app.post("/books")
async def add_book():
    data = await request.get_json()
    book = {"id": len(BOOKS) + 1, "title": data["title"]}
    BOOKS.append(book)
    return book, 201
