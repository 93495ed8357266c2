def invoke(args):
    result = CliRunner().invoke(cli, args)
    lines = [line.strip("\u256d\u256e\u2570\u256f\u2502\u2500 ") for line in result.output.splitlines()]
    return [result.exit_code, [line for line in lines if line]]


def outcome(test):
    try:
        test()
    except AssertionError as failure:
        return f"failed: {failure}"
    return "passed"
