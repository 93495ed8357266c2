from flask import Flask
from flask_injector import FlaskInjector, request
from injector import Binder, inject, singleton


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
    binder.bind(RequestContext, to=RequestContext, scope=request)


app = Flask(__name__)


@app.get("/visits")
def visits(counter: VisitCounter, context: RequestContext, audit: AuditLog):
    return {"visits": counter.hit(), "request": context.number, "one context per request": audit.context is context}


FlaskInjector(app=app, modules=[configure])
