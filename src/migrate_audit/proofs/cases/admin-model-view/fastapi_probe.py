from fastapi.testclient import TestClient

TITLES = ("Dune", "Kindred", "Lilith", "Frank Herbert", "9780441013593")


def page(path):
    response = TestClient(app).get(path)
    return {"status": response.status_code, "shows": [t for t in TITLES if t in response.text]}


def listing():
    return page("/admin/book/list")


def search(term):
    return page(f"/admin/book/list?search={term}")


def create(title, author):
    response = TestClient(app).post("/admin/book/create", data={"title": title, "author": author},
                                    follow_redirects=False)
    return {"status": response.status_code, "then": listing()}


def urls():
    return {"index": page("/admin/")["status"], "list": "/admin/book/list", "create": "/admin/book/create"}
