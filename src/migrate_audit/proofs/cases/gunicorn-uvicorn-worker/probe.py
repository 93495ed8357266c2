from _server_probe import started, thread_capacity
