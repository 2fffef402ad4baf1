"""Japanese and international recognizers for Presidio, used by piiscan. Never imports ``pipeline``."""
