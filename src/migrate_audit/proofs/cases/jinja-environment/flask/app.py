from flask import Flask, render_template

app = Flask(__name__)
app.jinja_env.trim_blocks = True
app.jinja_env.lstrip_blocks = True


@app.template_filter("price")
def price(value):
    return f"{value:.2f} EUR"


@app.template_global()
def shop_name():
    return "Bookshelf"


@app.context_processor
def inject_year():
    return {"year": 2025}


@app.get("/books")
def list_books():
    books = [{"title": "Pride & Prejudice", "price": 9.5}, {"title": "<em>Dune</em>", "price": 12}]
    return render_template("books.html", books=books)
