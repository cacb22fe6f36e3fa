"""Votes: the rules frozen at opening, ballots (secret when the rules say so) and the count."""
