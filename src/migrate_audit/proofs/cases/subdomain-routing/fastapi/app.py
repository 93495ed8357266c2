from typing import Annotated

from fastapi import Depends, FastAPI, Request


def current_tenant(request: Request) -> str:
    return request.path_params["tenant"]


tenant_app = FastAPI()


@tenant_app.get("/")
def tenant_home(tenant: Annotated[str, Depends(current_tenant)]):
    return {"site": "tenant", "tenant": tenant}


app = FastAPI()
app.host("{tenant}.example.com", tenant_app)  # first: the app's own "/" below matches every host


@app.get("/")
def home():
    return {"site": "main"}
