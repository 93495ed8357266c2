from flask import Flask
from flask_apscheduler import APScheduler

RUNS = []

app = Flask(__name__)
scheduler = APScheduler()


@scheduler.task("interval", id="purge_sessions", minutes=30)
def purge_expired_sessions():
    RUNS.append("purge_sessions")


@scheduler.task("cron", id="nightly_report", hour=3, minute=0)
def nightly_report():
    RUNS.append("nightly_report")


scheduler.init_app(app)
scheduler.start()
