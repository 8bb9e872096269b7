#!/usr/bin/env python3
"""Peer reasoners for kgfuse's reasoning benchmark, one run per process so peak RSS is the run's own.

  peers.py owlrl   rdfs|owl-rl FILE.nt OUT.nt   owlrl 7 (rdflib): deductive closure, written as N-Triples
  peers.py reasonable        FILE.nt OUT.nt     reasonable 0.4 (Rust, OWL 2 RL only)

Prints one JSON line: {"tool", "profile", "input", "output", "inferred", "reason_seconds"}.
The input is N-Triples (converted from RDF/XML with rapper by bench.py), so parsing is comparable.
"""
import json
import sys
import time


def run_owlrl(profile, path, out):
    import owlrl
    import rdflib
    graph = rdflib.Graph()
    graph.parse(path, format="nt")
    before = len(graph)
    semantics = owlrl.RDFS_Semantics if profile == "rdfs" else owlrl.OWLRL_Semantics
    start = time.perf_counter()
    owlrl.DeductiveClosure(semantics, rdfs_closure=False, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    seconds = time.perf_counter() - start
    if out != "-":
        graph.serialize(destination=out, format="nt", encoding="utf-8")
    return before, len(graph), seconds


def run_reasonable(path, out):
    import os
    import tempfile
    import reasonable
    reasoner = reasonable.PyReasoner()
    # reasonable reads Turtle and N3 only, by extension; N-Triples is Turtle, so a .ttl link serves.
    link = None
    if not path.endswith((".ttl", ".n3")):
        link = os.path.join(tempfile.mkdtemp(), "input.ttl")
        os.symlink(os.path.abspath(path), link)
    reasoner.load_file(link or path)
    base = reasoner.get_base_triples()
    start = time.perf_counter()
    triples = reasoner.reason()
    seconds = time.perf_counter() - start
    if out != "-":
        import rdflib
        graph = rdflib.Graph()
        for triple in triples:
            graph.add(triple)
        graph.serialize(destination=out, format="nt", encoding="utf-8")
    if link:
        os.remove(link)
    return len(set(base)), len(set(triples)), seconds


def main():
    tool = sys.argv[1]
    if tool == "owlrl":
        profile, path, out = sys.argv[2], sys.argv[3], sys.argv[4]
        before, after, seconds = run_owlrl(profile, path, out)
    elif tool == "reasonable":
        profile, path, out = "owl-rl", sys.argv[2], sys.argv[3]
        before, after, seconds = run_reasonable(path, out)
    else:
        sys.exit(f"unknown tool {tool}")
    print(json.dumps({"tool": tool, "profile": profile, "input": before, "output": after,
                      "inferred": after - before, "reason_seconds": round(seconds, 3)}))


if __name__ == "__main__":
    main()
