from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/unsubscribe")
async def unsubscribe(request: Request):
    values = {**(await request.form()), **request.query_params}  # query string wins, as in request.values
    return {"token": values.get("token"), "list": values.get("list", "news")}
