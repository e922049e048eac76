"""Corporations, places (neighbourhoods, complexes, dwellings), households and persons, staff."""
