from fastapi import FastAPI, Response

app = FastAPI()

BOOKS = [(1, "Dune"), (2, "Emma")]


@app.get("/books.csv")
def export_books():
    csv_text = "id,title\n" + "".join(f"{i},{t}\n" for i, t in BOOKS)
    return Response(content=csv_text, media_type="text/csv",
                    headers={"Content-Disposition": "inline; filename=books.csv"})


@app.post("/books/import")
def import_books():
    return Response(content="queued\n", status_code=202, media_type="text/plain")
