from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/preferences")
def preferences(request: Request):
    return {"back": request.referrer or "/"}  # Werkzeug's attribute: Starlette's request has no `referrer`
