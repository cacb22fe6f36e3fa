"""Decisions: numbered per conference, taken by consensus (the gavel and its objections), by vote or by note."""
