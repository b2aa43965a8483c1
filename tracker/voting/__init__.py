"""Voting: committee decisions and owners' assembly ballots (业主共同决定), counted by the rules in
``rules.py``."""
