"""The mention inbox: what people say about the business, imported, searched, triaged, scored.

`repository` holds the rows, `importers` reads files from listening tools, `search` turns the
owner's query into safe SQL, `sentiment` scores offline, `spikes` raises the alarm.
"""
