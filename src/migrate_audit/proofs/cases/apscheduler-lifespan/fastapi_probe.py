import datetime
import time

from fastapi.testclient import TestClient


def scheduled():
    with TestClient(app):  # runs the lifespan: startup, then shutdown at the end of the block
        jobs = sorted(scheduler.get_jobs(), key=lambda job: job.id)
        scheduler.get_job("purge_sessions").modify(next_run_time=datetime.datetime.now(datetime.timezone.utc))
        deadline = time.monotonic() + 5
        while not RUNS and time.monotonic() < deadline:
            time.sleep(0.05)
        return {"running": scheduler.running, "jobs": [[job.id, str(job.trigger)] for job in jobs], "ran": RUNS[:1]}


def stopped():
    return {"running": scheduler.running}
