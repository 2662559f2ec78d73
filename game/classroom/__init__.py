"""The classroom: class votes, transcripts, the class report, the teacher's guide, group play and serving.

Everything here is a shell around the engine: it replays saves and asks the
engine what happened, and never decides story logic itself.
"""
