from contextlib import asynccontextmanager

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from fastapi import FastAPI

RUNS = []

scheduler = AsyncIOScheduler()


@scheduler.scheduled_job("interval", id="purge_sessions", minutes=30)
def purge_expired_sessions():
    RUNS.append("purge_sessions")


@scheduler.scheduled_job("cron", id="nightly_report", hour=3, minute=0)
def nightly_report():
    RUNS.append("nightly_report")


@asynccontextmanager
async def lifespan(app: FastAPI):
    scheduler.start()
    yield
    scheduler.shutdown()


app = FastAPI(lifespan=lifespan)
