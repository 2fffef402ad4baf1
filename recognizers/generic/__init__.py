"""piiscan."""
