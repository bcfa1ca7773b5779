"""Texts and keyboards: pure functions of domain data and the current locale."""
