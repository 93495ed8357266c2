from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response

app = FastAPI()


@app.get("/books/{book_id}")
def get_book(book_id: int):
    return JSONResponse({"error": "not found", "id": book_id}, status_code=404)


@app.get("/export.csv")
def export():
    return Response("id,title\n1,Dune\n", media_type="text/csv", headers={"X-Rows": "1"})
