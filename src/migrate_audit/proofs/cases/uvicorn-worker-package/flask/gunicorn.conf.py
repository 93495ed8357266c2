workers = 4
worker_class = "uvicorn.workers.UvicornWorker"
