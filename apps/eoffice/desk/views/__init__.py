"""The desk's views, one module per concern: sign-in, home, lists, API keys."""
