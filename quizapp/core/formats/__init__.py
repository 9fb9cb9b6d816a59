"""Formats: question files (GIFT, Aiken) and spreadsheets in and out."""
