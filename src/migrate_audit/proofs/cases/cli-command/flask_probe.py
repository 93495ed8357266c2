def invoke(args):
    result = app.test_cli_runner().invoke(args=args)
    return [result.exit_code, result.output.splitlines()]


def outcome(test):
    try:
        test()
    except AssertionError as failure:
        return f"failed: {failure}"
    return "passed"
