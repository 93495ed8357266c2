def outcome(test):
    """"passed", "failed" (an assertion) or the exception the test raised: the port's first error."""
    try:
        test()
    except AssertionError:
        return "failed"
    except Exception as error:  # noqa: BLE001 - the naive port's TypeError or AttributeError is the point
        return f"raised {type(error).__name__}"
    return "passed"
