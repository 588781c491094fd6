"""The catalog's rows as Open Education API 6.0 resources (standards/oeapi-v6/oeapi.yaml):
programmes, courses (a programme's modules), organisations (universities) and programme
offerings (a programme's intakes).

Honest by omission, as every output of the catalog: a fact the source does not state is left
out of the resource (never null, zero or a default), and a fact the catalog infers is carried in
the resource's `ext` object with its reason, never among the standard properties, which a
harvester reads as the institution's word. programs/display/facts.py answers how each fact is
known; these modules only say where the answer goes in a resource (values.py).
"""
