"""Peer for the load benchmark: owlready2 parses an RDF/XML ontology into its SQLite quadstore.

Usage: python3 owlready2_load.py ONTOLOGY.owl STORE.sqlite
Prints the number of triples it stored.
"""
import os
import sys

import owlready2

path, store = sys.argv[1], sys.argv[2]
if os.path.exists(store):
    os.remove(store)
owlready2.default_world.set_backend(filename=store)
ontology = owlready2.get_ontology("file://" + os.path.abspath(path)).load()
owlready2.default_world.save()
print(len(owlready2.default_world.graph))
