"""Assessment: marking answers, time limits, question order and item analysis."""
