from flask import Flask

from books import bp as books_bp

app = Flask(__name__)
app.register_blueprint(books_bp, url_prefix="/api/books")
