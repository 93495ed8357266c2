def page():
    text = app.test_client().get("/").get_data(as_text=True)
    return {"page kept": "<h1>Shop</h1>" in text, "toolbar": 'id="flDebug"' in text}
