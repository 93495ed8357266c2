from fastapi import FastAPI

app = FastAPI()


@app.get("/books/")
@app.get("/books", include_in_schema=False)
def books():
    return {"books": ["Dune"]}


@app.get("/authors/")
def authors():
    return {"authors": ["Frank Herbert"]}


@app.get("/about")
def about():
    return {"about": "A bookshop"}
