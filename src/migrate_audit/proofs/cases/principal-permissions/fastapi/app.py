from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException

app = FastAPI()
ROLES = {"k-alice": {"admin"}, "k-bob": set()}


def current_roles(x_api_key: Annotated[str | None, Header()] = None) -> set[str]:
    return ROLES.get(x_api_key, set()) if x_api_key else set()


def require_role(role: str):
    def check(roles: Annotated[set[str], Depends(current_roles)]) -> None:
        if role not in roles:
            raise HTTPException(status_code=403)

    return check


@app.get("/admin/stats", dependencies=[Depends(require_role("admin"))])
def stats():
    return {"loans": 3}
