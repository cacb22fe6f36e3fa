"""The live server: meetings over WebSockets (`python -m cop.live`)."""
