"""Amendments: tabled, co-sponsored, revised or withdrawn by delegations, and the chair's rulings on them."""
