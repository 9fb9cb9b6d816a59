"""The pure heart of quizapp: text in, dataclasses out.

Nothing here imports Flask or touches a database, so every rule about reading articles and
making questions can be tested with plain values and reused from the CLI, the web and bench/.
"""
