"""The server's level-of-detail service: read a run's channels with numpy, reduce
them to what a plot's pixels need, and cache the summaries (docs/plots.md).

numpy is imported here and on the server side only: `import runwatch` and the
writer stay stdlib-only.
"""
