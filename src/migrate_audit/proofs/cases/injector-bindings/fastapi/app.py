from typing import Annotated

from fastapi import FastAPI
from fastapi_injector import Injected, InjectorMiddleware, attach_injector, request_scope
from injector import Binder, Injector, inject, singleton


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
    @inject
    def __init__(self, context: RequestContext):
        self.context = context


def configure(binder: Binder):
    binder.bind(VisitCounter, to=VisitCounter, scope=singleton)
    binder.bind(RequestContext, to=RequestContext, scope=request_scope)


injector = Injector([configure])
app = FastAPI()
app.add_middleware(InjectorMiddleware, injector=injector)
attach_injector(app, injector)


@app.get("/visits")
def visits(counter: Annotated[VisitCounter, Injected(VisitCounter)],
           context: Annotated[RequestContext, Injected(RequestContext)],
           audit: Annotated[AuditLog, Injected(AuditLog)]):
    return {"visits": counter.hit(), "request": context.number, "one context per request": audit.context is context}
