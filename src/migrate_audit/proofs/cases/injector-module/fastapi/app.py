from typing import Annotated

from fastapi import FastAPI
from fastapi_injector import Injected, attach_injector
from injector import Injector, Module, provider, singleton


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


class ShopModule(Module):  # unchanged
    def configure(self, binder):
        binder.bind(Greeting, to=Greeting("Welcome"))

    @singleton
    @provider
    def catalogue(self) -> Catalogue:
        return Catalogue(["Dune", "Kindred"])


app = FastAPI()
attach_injector(app, Injector([ShopModule()]))


@app.get("/books")
def books(catalogue: Annotated[Catalogue, Injected(Catalogue)], greeting: Annotated[Greeting, Injected(Greeting)]):
    return {"greeting": greeting, "titles": catalogue.titles, "served": catalogue.serve(), "built": Catalogue.built}
