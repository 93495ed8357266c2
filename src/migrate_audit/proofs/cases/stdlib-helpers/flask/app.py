import os

from flask.helpers import get_root_path
from werkzeug.utils import cached_property, import_string


class Catalogue:
    computed = 0

    @cached_property
    def titles(self):
        Catalogue.computed += 1
        return ["Dune", "Kindred"]


def titles_twice():
    catalogue = Catalogue()
    return [catalogue.titles, catalogue.titles, Catalogue.computed]


def serializer():
    return import_string("json:dumps")({"ok": True})


def package_files():
    return sorted(name for name in os.listdir(get_root_path(__name__)) if name.endswith(".py"))
