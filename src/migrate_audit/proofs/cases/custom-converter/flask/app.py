from flask import Flask, url_for
from werkzeug.routing import BaseConverter


class ListConverter(BaseConverter):
    """`/tags/python+web` -> ["python", "web"], and back."""

    def to_python(self, value):
        return value.split("+")

    def to_url(self, values):
        return "+".join(super(ListConverter, self).to_url(value) for value in values)


app = Flask(__name__)
app.url_map.converters["list"] = ListConverter


@app.get("/tags/<list:tags>")
def tagged(tags):
    return {"tags": tags, "canonical": url_for("tagged", tags=sorted(tags))}
