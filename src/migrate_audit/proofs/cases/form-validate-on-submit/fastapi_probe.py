import re

from fastapi.testclient import TestClient


def _messages(html):
    return re.findall(r'<p class="(?:error|welcome)">(.*?)</p>', html)


def shown_on_get():
    with TestClient(app) as client:
        return _messages(client.get("/signup").text)


def submit(fields, with_token=True):
    with TestClient(app) as client:
        page = client.get("/signup").text
        if with_token:
            token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page)
            if token is None:
                return "no form to copy a token from"
            fields = {**fields, "csrf_token": token.group(1)}
        answer = client.post("/signup", data=fields)
    return answer.status_code, _messages(answer.text)
