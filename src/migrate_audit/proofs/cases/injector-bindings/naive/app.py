from typing import Annotated

from fastapi import Depends, FastAPI


class VisitCounter:
    def __init__(self):
        self.count = 0

    def hit(self):
        self.count += 1
        return self.count


class RequestContext:
    created = 0

    def __init__(self):
        RequestContext.created += 1
        self.number = RequestContext.created


class AuditLog:
    def __init__(self, context: Annotated[RequestContext, Depends()]):
        self.context = context


app = FastAPI()


@app.get("/visits")
def visits(counter: Annotated[VisitCounter, Depends()], context: Annotated[RequestContext, Depends()],
           audit: Annotated[AuditLog, Depends()]):
    return {"visits": counter.hit(), "request": context.number, "one context per request": audit.context is context}
