"""eOffice: document management and direction for Vietnamese public agencies."""

__version__ = "0.1.0"
