"""What a negotiator writes, at most, in characters: the one check behind the web forms and the live commands."""
MAX_PARAGRAPH = 3_000
MAX_EXPLANATION = 2_000
MAX_REASON = 2_000
MAX_DRAFT = 30_000
MAX_TITLE = 200
MAX_QUESTION = 500
