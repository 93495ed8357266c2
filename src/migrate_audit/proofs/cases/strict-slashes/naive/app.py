from fastapi import FastAPI

app = FastAPI()


@app.get("/books/")
def books():
    return {"books": ["Dune"]}


@app.get("/authors/")
def authors():
    return {"authors": ["Frank Herbert"]}


@app.get("/about")
def about():
    return {"about": "A bookshop"}
