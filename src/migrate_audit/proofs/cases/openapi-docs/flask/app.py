from flasgger import Swagger
from flask import Flask, request

app = Flask(__name__)
swagger = Swagger(app)


@app.get("/books/<int:book_id>")
def get_book(book_id):
    """Get one book
    ---
    parameters:
      - name: book_id
        in: path
        type: integer
        required: true
      - name: lang
        in: query
        type: string
        required: false
    responses:
      200:
        description: The book
    """
    return {"id": book_id, "lang": request.args.get("lang", "en")}


@app.post("/books")
def create_book():
    """Add a book
    ---
    parameters:
      - name: body
        in: body
        required: true
        schema:
          type: object
          required: [title, pages]
          properties:
            title:
              type: string
            pages:
              type: integer
    responses:
      201:
        description: The new book
    """
    return {"id": 3, **request.get_json()}, 201
