from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/books")
def books(request: Request, page: int = 1):
    return {
        "self": str(request.url),
        # Flask's base_url is this URL without its query string; Starlette's request.base_url is the app root
        "next": f"{request.url.replace(query='')}?page={page + 1}",
        "path": request.url.path,
        "login_next": f"{request.url.path}?{request.url.query}",
        "home": str(request.base_url),
        "host": request.url.netloc,
        "secure": request.url.scheme == "https",
    }


@app.get("/whoami")
def whoami(request: Request):
    return {"ip": request.client.host}
