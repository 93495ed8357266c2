from typing import Annotated

from fastapi import Depends, FastAPI, Request
from starlette.routing import Host


def current_tenant(request: Request) -> str:
    return request.path_params["tenant"]


tenant_app = FastAPI()


@tenant_app.get("/")
def tenant_home(tenant: Annotated[str, Depends(current_tenant)]):
    return {"site": "tenant", "tenant": tenant}


app = FastAPI()


@app.get("/")
def home():
    return {"site": "main"}


app.router.routes.append(Host("{tenant}.example.com", app=tenant_app))
