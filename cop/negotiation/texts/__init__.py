"""Draft texts of agenda items: paragraphs, immutable versions, word diffs, the text page and the web door."""
