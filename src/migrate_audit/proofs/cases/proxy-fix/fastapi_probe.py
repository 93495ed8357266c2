import uvicorn

# What `uvicorn app:app --proxy-headers --forwarded-allow-ips=10.0.0.1` serves, with the test client's
# host name in place of the proxy's address.
_config = uvicorn.Config(app, proxy_headers=True, forwarded_allow_ips="testclient", log_config=None)
_config.load()
served = _config.loaded_app
