from flask import Flask
from flask_injector import FlaskInjector
from injector import Module, provider, singleton


class Greeting(str):
    pass


class Catalogue:
    built = 0

    def __init__(self, titles):
        Catalogue.built += 1
        self.titles = titles
        self.served = 0

    def serve(self):
        self.served += 1
        return self.served


class ShopModule(Module):
    def configure(self, binder):
        binder.bind(Greeting, to=Greeting("Welcome"))

    @singleton
    @provider
    def catalogue(self) -> Catalogue:
        return Catalogue(["Dune", "Kindred"])


app = Flask(__name__)


@app.get("/books")
def books(catalogue: Catalogue, greeting: Greeting):
    return {"greeting": greeting, "titles": catalogue.titles, "served": catalogue.serve(), "built": Catalogue.built}


FlaskInjector(app=app, modules=[ShopModule()])
