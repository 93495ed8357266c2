from cashews import cache
from fastapi import FastAPI

cache.setup("mem://")
app = FastAPI()
computed = 0


@app.get("/books")
@cache(ttl="1m")  # the key is built from the arguments: "app:books:page:1"
async def books(page: int = 1):
    global computed
    computed += 1
    return {"page": page, "computed": computed}
