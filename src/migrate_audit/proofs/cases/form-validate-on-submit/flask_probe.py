import re


def _messages(html):
    return re.findall(r'<p class="(?:error|welcome)">(.*?)</p>', html)


def shown_on_get():
    return _messages(app.test_client().get("/signup").get_data(as_text=True))


def submit(fields, with_token=True):
    client = app.test_client()
    page = client.get("/signup").get_data(as_text=True)
    if with_token:
        token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page)
        if token is None:
            return "no form to copy a token from"
        fields = {**fields, "csrf_token": token.group(1)}
    answer = client.post("/signup", data=fields)
    return answer.status_code, _messages(answer.get_data(as_text=True))
