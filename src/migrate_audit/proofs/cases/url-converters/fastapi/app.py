from fastapi import FastAPI

app = FastAPI()
PUBLISHED = {"Dune": 1965, "Solaris": 1961, "The Left Hand of Darkness": 1969}


@app.get("/archive/{year:int}")
def archive(year: int):
    return {"year": year, "titles": sorted(t for t, y in PUBLISHED.items() if y == year)}
