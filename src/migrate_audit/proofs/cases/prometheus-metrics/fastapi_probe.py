from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families


def scrape():
    return list(text_string_to_metric_families(TestClient(app).get("/metrics").text))


def requests_counted():
    totals = {}
    for family in scrape():
        for s in family.samples:
            if s.name == "http_requests_total":
                key = (s.labels["method"], s.labels["status"])
                totals[key] = totals.get(key, 0) + s.value
    return sorted([method, status, value] for (method, status), value in totals.items())


def route_labels():
    return sorted({s.labels["handler"] for f in scrape() for s in f.samples
                   if s.name == "http_request_duration_seconds_count"})


def series():
    return sorted({f"{s.name}{{{','.join(sorted(s.labels))}}}" for f in scrape() for s in f.samples
                   if s.name.endswith(("request_total", "requests_total", "duration_seconds_count"))})
