from flask import Flask

app = Flask(__name__)
PUBLISHED = {"Dune": 1965, "Solaris": 1961, "The Left Hand of Darkness": 1969}


@app.get("/archive/<int:year>")
def archive(year):
    return {"year": year, "titles": sorted(t for t, y in PUBLISHED.items() if y == year)}
