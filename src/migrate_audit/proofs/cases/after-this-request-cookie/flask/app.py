from flask import Flask, after_this_request, request

app = Flask(__name__)


@app.get("/books")
def list_books():
    lang = request.args.get("lang")
    if lang:
        @after_this_request
        def remember_language(response):
            response.set_cookie("lang", lang)
            return response
    return {"lang": lang or request.cookies.get("lang", "en"), "books": ["Dune", "Emma"]}
