TITLES = ("Dune", "Kindred", "Lilith", "Frank Herbert", "9780441013593")


def page(path):
    response = app.test_client().get(path)
    text = response.get_data(as_text=True)
    return {"status": response.status_code, "shows": [t for t in TITLES if t in text]}


def listing():
    return page("/admin/book/")


def search(term):
    return page(f"/admin/book/?search={term}")


def create(title, author):
    response = app.test_client().post("/admin/book/new/", data={"title": title, "author": author})
    return {"status": response.status_code, "then": listing()}


def urls():
    return {"index": page("/admin/")["status"], "list": "/admin/book/", "create": "/admin/book/new/"}
