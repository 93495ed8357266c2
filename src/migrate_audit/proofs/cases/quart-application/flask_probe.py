import asyncio


def send(method, path, **options):
    async def exchange():
        response = await app.test_client().open(path, method=method, **options)
        return [response.status_code, response.headers["Content-Type"], await response.get_json()]

    return asyncio.run(exchange())
