def outcome(test):
    try:
        test()
    except AssertionError as failure:
        return f"failed: {failure}"
    return "passed"
