"""Run pyHanko's synchronous API from any thread.

pyHanko's sync entry points (``PdfSigner.sign_pdf``, ``validate_pdf_signature``) call
``asyncio.run``, which refuses to run in a thread that already has an event loop (an ASGI
server, or Playwright's sync API in the same process). There, the call is made in a short-lived
thread of its own, which has no loop.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor


def outside_event_loop(func, *args, **kwargs):
    """``func(*args, **kwargs)``, in a fresh thread when this one runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func, *args, **kwargs).result()
