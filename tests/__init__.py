"""piiscan tests."""
