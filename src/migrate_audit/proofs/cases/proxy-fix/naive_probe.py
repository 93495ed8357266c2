import uvicorn

_config = uvicorn.Config(app, proxy_headers=True, forwarded_allow_ips="*", log_config=None)
_config.load()
served = _config.loaded_app
