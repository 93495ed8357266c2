from prometheus_client.parser import text_string_to_metric_families


def scrape():
    return list(text_string_to_metric_families(app.test_client().get("/metrics").get_data(as_text=True)))


def requests_counted():
    return sorted([s.labels["method"], s.labels["status"], s.value] for f in scrape() if f.name == "flask_http_request"
                  for s in f.samples if s.name == "flask_http_request_total")


def route_labels():
    return sorted({s.labels["path"] for f in scrape() for s in f.samples
                   if s.name == "flask_http_request_duration_seconds_count"})


def series():
    return sorted({f"{s.name}{{{','.join(sorted(s.labels))}}}" for f in scrape() for s in f.samples
                   if s.name.endswith(("request_total", "requests_total", "duration_seconds_count"))})
