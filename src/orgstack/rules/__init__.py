"""Best-practice and AWS-limit rules; each runs on a model, from the spec or from AWS.

One rule per file, ``rules/<category>/<slug>.py``; see ``base.define`` for the shape.
"""
