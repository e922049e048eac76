"""Requests sent at the same moment, for the tests of races (double submits, two tabs, two staff members)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from flask import Flask


def race_posts(app: Flask, posts: list[tuple]) -> list[int]:
    """POST each (client, path, data) at the same moment, each in its own thread and request; their statuses.

    An exception in any request (exceptions propagate in tests) fails the caller.
    """
    barrier = threading.Barrier(len(posts))

    def send(post: tuple) -> int:
        client, path, data = post
        with app.app_context():  # each thread is its own request, with its own session
            barrier.wait()
            return client.post(path, data=data).status_code

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        return list(pool.map(send, posts))
