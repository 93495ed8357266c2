from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/books")
def books(request: Request, page: int = 1):
    return {
        "self": str(request.url),
        "next": f"{request.base_url}?page={page + 1}",  # same name, different URL: the app root
        "path": request.url.path,
        "login_next": f"{request.url.path}?{request.url.query}",
        "home": str(request.base_url),
        "host": request.url.netloc,
        "secure": request.url.scheme == "https",
    }


@app.get("/whoami")
def whoami(request: Request):
    return {"ip": request.client.host}
