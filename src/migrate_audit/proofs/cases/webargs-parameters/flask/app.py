from flask import Flask, jsonify
from webargs import fields, validate
from webargs.flaskparser import use_args, use_kwargs

app = Flask(__name__)


@app.get("/search")
@use_args({"q": fields.Str(required=True), "page": fields.Int(load_default=1, validate=validate.Range(min=1))},
          location="query")
def search(args):
    return {"q": args["q"], "page": args["page"]}


@app.post("/authors")
@use_kwargs({"name": fields.Str(required=True, validate=validate.Length(min=1, max=50))}, location="json")
def create_author(name):
    return {"name": name}, 201


@app.errorhandler(422)
@app.errorhandler(400)
def handle_error(err):
    # the handler the webargs documentation recommends: the parser's messages as JSON
    messages = err.data.get("messages", ["Invalid request."])
    return jsonify({"errors": messages}), err.code
