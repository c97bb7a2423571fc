"""Pure clinical and programme rules: WHO growth standards, schedules, risk scores.

Nothing here imports Django or any other part of ILP; every rule cites its source.
"""
