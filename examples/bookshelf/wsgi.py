from bookshelf import create_app

app = create_app()
