"""Rewards: the points ledger, the catalogue, coupons and their uses."""
