from flask import Flask, render_template

app = Flask(__name__)


@app.get("/authors/<author>/query")
def author_query(author):
    sql = render_template("queries/by_author.sql", author=author)
    return {"sql": sql}
