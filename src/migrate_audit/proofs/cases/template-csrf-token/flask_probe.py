import re


def submit(with_token):
    client = app.test_client()
    page = client.get("/books/new").get_data(as_text=True)
    form = {"title": "Dune"}
    if with_token:
        form["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/books", data=form)
    return [response.status_code, response.get_data(as_text=True) if response.status_code == 200 else None]
