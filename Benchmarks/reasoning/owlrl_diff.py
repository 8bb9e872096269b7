#!/usr/bin/env python3
"""kgfuse's OWL 2 RL closure of an ontology against owlrl's and reasonable's, triple by triple, difference explained.

  python3 Benchmarks/reasoning/owlrl_diff.py [ONTOLOGY.owl] [--kgfuse .build/release/kgfuse] [--work DIR]
      [--owlrl-closure FILE.nt] [--reasonable-closure FILE.nt] [--kgfuse-closure FILE.nt] [--owlrl-timeout S]

Steps (each skipped when its closure file is given): rapper converts the RDF/XML to N-Triples; kgfuse loads the
ontology into a fresh store, runs `reason --profile owl-rl` and exports the closure (asserted + inferred); owlrl
(rdflib, OWLRL_Semantics, no axiomatic triples, no datatype axioms) and reasonable expand the same N-Triples
(Benchmarks/reasoning/peers.py). owlrl takes 7 to 18 minutes on pato-base on this machine.

Blank nodes: each tool labels them its own way, so every blank node is replaced by a canonical name built from its
structural description (owl:onProperty, owl:someValuesFrom, rdf:first, rdf:rest, owl:annotatedSource, ... and its
literal-valued triples, recursively). Structurally identical blank nodes (pato repeats the same restriction
`inheres_in some X` on many classes) get the same name, in every tool alike, so closures compare as sets of
canonical triples. Literals are compared with xsd:string written as a plain literal (rdflib drops it).

Each triple in one closure and not the other is put in a class; the classes are the documented scope differences:

  only in owlrl (kgfuse leaves them out):
  - eq-ref: `x owl:sameAs x` for every term, literals included. kgfuse runs eq-ref only with
    RuleProgram.owl2RL(equalityReflexivity: true): it adds one fact per term and no information.
  - literal subjects and datatype typing (dt-type2): owlrl types the literals it meets; kgfuse keeps generalized
    triples internal and runs dt-type2/dt-eq/dt-diff/dt-not-type only with datatypes: true.
  - scm-op/scm-dp on rdf:Property: owlrl also applies them to `rdf:type rdf:Property` resources (its own extension).
  - owlrl's datatype disjointness axioms (`xsd:boolean owl:disjointWith xsd:dateTime`) for the datatypes in use.
  only in kgfuse: none on pato-base (a reflexive scm-* conclusion owlrl's shortcuts could skip would be classed so).
  kgfuse vs reasonable: what only kgfuse has is checked against owlrl's closure (reasonable implements part of the
  rules); what only reasonable has is its `rdf:type owl:Thing` for every resource.
Anything else is printed as UNEXPLAINED, with samples. The script exits 1 when kgfuse vs owlrl has unexplained
triples.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"

TERM = re.compile(r'(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)')

# Predicates that describe a blank node's structure and that no OWL 2 RL rule concludes.
STRUCTURAL = {f"<{OWL}{name}>" for name in (
    "onProperty", "someValuesFrom", "allValuesFrom", "hasValue", "onClass", "onDataRange", "cardinality",
    "minCardinality", "maxCardinality", "qualifiedCardinality", "minQualifiedCardinality", "maxQualifiedCardinality",
    "intersectionOf", "unionOf", "complementOf", "oneOf", "members", "distinctMembers", "annotatedSource",
    "annotatedProperty", "annotatedTarget", "propertyChainAxiom", "hasKey", "withRestrictions", "onDatatype",
    "sourceIndividual", "assertionProperty", "targetIndividual", "targetValue", "hasSelf")} | {f"<{RDF}first>", f"<{RDF}rest>"}


DATETIME_UTC = re.compile(r'^"(.*)\+00:00"\^\^<' + re.escape(XSD) + r'dateTime>$')


def normalise_literal(o):
    """One spelling per literal where the tools differ only in spelling: rdflib drops ^^xsd:string and rewrites the
    xsd:dateTime time zone `Z` as `+00:00` (same value); both are written here as kgfuse writes them."""
    suffix = f'^^<{XSD}string>'
    if o.endswith(suffix):
        return o[: -len(suffix)]
    match = DATETIME_UTC.match(o)
    if match:
        return f'"{match.group(1)}Z"^^<{XSD}dateTime>'
    return o


def read_nt(path):
    """Every triple of an N-Triples file as (s, p, o) strings."""
    triples = set()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            terms = TERM.findall(line)
            if len(terms) == 3:
                s, p, o = terms
                triples.add((normalise_literal(s), p, normalise_literal(o)))
    return triples


def canonicalise(triples):
    """The triples with each blank node replaced by `_:` + a name built from its structural description."""
    outgoing = collections.defaultdict(list)
    for s, p, o in triples:
        if s.startswith("_:") and (p in STRUCTURAL or o.startswith('"')):
            outgoing[s].append((p, o))
    names, visiting = {}, set()

    def name(node):
        if not node.startswith("_:"):
            return node
        if node in names:
            return names[node]
        if node in visiting:
            return "_:cycle"
        visiting.add(node)
        parts = sorted(f"{p} {name(o)}" for p, o in outgoing.get(node, []))
        visiting.discard(node)
        names[node] = "_:[" + "; ".join(parts) + "]"
        return names[node]

    return {(name(s), p, name(o)) for s, p, o in triples}


def explain(triple, only_in, reference=None):
    """The documented class of a difference, or None. `reference` is owlrl's closure, used to classify the
    differences with reasonable."""
    s, p, o = triple
    if only_in == "kgfuse-vs-reasonable" and reference is not None and triple in reference:
        return "an OWL 2 RL conclusion owlrl derives too, which reasonable leaves out (it implements part of the rules)"
    if only_in == "reasonable":
        if p == f"<{RDF}type>" and o == f"<{OWL}Thing>":
            return "reasonable's `x rdf:type owl:Thing` for every resource (no OWL 2 RL/RDF rule concludes it; owlrl neither)"
        if reference is not None and triple not in reference and (s, p, '""') != triple and o == '""':
            return "reasonable's output: a multi-line literal comes back empty through rdflib's n3()"
        if reference is not None and triple in reference:
            return "also in owlrl's closure: kgfuse leaves it out"

    if only_in == "owlrl":
        if p == f"<{OWL}sameAs>" and s == o:
            return "eq-ref (x owl:sameAs x for every term): kgfuse runs eq-ref only when asked"
        if s.startswith('"'):
            return "literal subject (generalized triple, dt-type2): kgfuse keeps these internal"
        if p == f"<{RDF}type>" and (o.startswith(f"<{XSD}") or o in (f"<{RDFS}Datatype>", f"<{RDFS}Literal>")):
            return "datatype typing (dt-type1/dt-type2 beyond kgfuse's default dt-type1)"
        if p == f"<{OWL}disjointWith>" and s.startswith(f"<{XSD}") and o.startswith(f"<{XSD}"):
            return "owlrl's datatype disjointness axioms for the datatypes in use (not an OWL 2 RL/RDF rule)"
        if p in (f"<{RDFS}subPropertyOf>", f"<{OWL}equivalentProperty>") and s == o:
            return "owlrl's scm-op/scm-dp applied to rdf:Property resources too (an owlrl extension)"
    if only_in == "kgfuse":
        if p in (f"<{RDFS}subClassOf>", f"<{OWL}equivalentClass>", f"<{RDFS}subPropertyOf>", f"<{OWL}equivalentProperty>") and s == o:
            return "reflexive scm-* conclusion owlrl optimises away (c1 != c3 in its scm-sco; scm-cls on owl:Class only)"
    return None


def group_key(triple):
    s, p, o = triple
    kind = lambda t: "blank" if t.startswith("_:") else ("literal" if t.startswith('"') else "IRI")
    return f"{kind(s)} {p} {o if p == f'<{RDF}type>' else kind(o)}"


def compare(title_a, a, title_b, b, samples, reference=None):
    """Prints both one-sided differences by class; returns the unexplained count on each side."""
    print(f"\n=== {title_a} ({len(a)} canonical triples) vs {title_b} ({len(b)}): {len(a & b)} in both")
    unexplained = {}
    for name, only, other in ((title_a, a - b, title_b), (title_b, b - a, title_a)):
        print(f"only in {name}: {len(only)}")
        classes = collections.Counter()
        unknown = collections.defaultdict(list)
        for triple in only:
            if name == "kgfuse" and other == "reasonable":
                side = "kgfuse-vs-reasonable"
            else:
                side = name
            reason = explain(triple, side, reference) or (explain(triple, "kgfuse") if side == "kgfuse-vs-reasonable" else None)
            if reason:
                classes[reason] += 1
            else:
                unknown[group_key(triple)].append(triple)
        for reason, count in classes.most_common():
            print(f"  {count:8d}  {reason}")
        total = sum(len(v) for v in unknown.values())
        unexplained[name] = total
        if total:
            print(f"  {total:8d}  UNEXPLAINED, by shape:")
            for key, triples in sorted(unknown.items(), key=lambda item: -len(item[1]))[:15]:
                print(f"            {len(triples):7d}  {key}")
                for triple in sorted(triples)[:samples]:
                    print(f"                     {' '.join(t[:140] for t in triple)}")
    return unexplained


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ontology", nargs="?", default=os.path.join(ROOT, "..", "shared", "ontologies", "pato", "pato-base.owl"))
    parser.add_argument("--kgfuse", default=os.path.join(ROOT, ".build", "release", "kgfuse"))
    parser.add_argument("--work", default="/tmp/kgfuse-owlrl-diff")
    parser.add_argument("--kgfuse-closure", help="use this kgfuse closure (N-Triples) instead of running kgfuse")
    parser.add_argument("--owlrl-closure", help="use this owlrl closure (N-Triples) instead of running owlrl")
    parser.add_argument("--reasonable-closure", help="use this reasonable closure (N-Triples) instead of running reasonable")
    parser.add_argument("--owlrl-timeout", type=int, default=1800)
    parser.add_argument("--samples", type=int, default=3)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    nt = os.path.join(args.work, "input.nt")
    with open(nt, "w") as out:
        subprocess.run(["rapper", "-q", "-i", "rdfxml", "-o", "ntriples", args.ontology], stdout=out, check=True)

    kgfuse_closure = args.kgfuse_closure
    if not kgfuse_closure:
        store = os.path.join(args.work, "store.sqlite")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(store + suffix):
                os.remove(store + suffix)
        kgfuse_closure = os.path.join(args.work, "kgfuse-closure.nt")
        subprocess.run([args.kgfuse, "load", "--store", store, args.ontology], check=True, stderr=subprocess.DEVNULL)
        start = time.perf_counter()
        subprocess.run([args.kgfuse, "reason", "--store", store, "--profile", "owl-rl"], check=True, stdout=subprocess.DEVNULL)
        print(f"kgfuse reason: {time.perf_counter() - start:.1f} s")
        with open(kgfuse_closure, "w") as out:
            subprocess.run([args.kgfuse, "export", "--store", store], stdout=out, check=True)
    reasonable_closure = args.reasonable_closure
    if not reasonable_closure:
        reasonable_closure = os.path.join(args.work, "reasonable-closure.nt")
        result = subprocess.run([sys.executable, os.path.join(HERE, "peers.py"), "reasonable", nt, reasonable_closure],
                                check=True, capture_output=True, text=True)
        print("reasonable:", result.stdout.strip().splitlines()[-1])
    owlrl_closure = args.owlrl_closure
    if not owlrl_closure:
        owlrl_closure = os.path.join(args.work, "owlrl-closure.nt")
        try:
            result = subprocess.run([sys.executable, os.path.join(HERE, "peers.py"), "owlrl", "owl-rl", nt, owlrl_closure],
                                    check=True, capture_output=True, text=True, timeout=args.owlrl_timeout)
            print("owlrl:", result.stdout.strip().splitlines()[-1])
        except subprocess.TimeoutExpired:
            print(f"owlrl did not finish within {args.owlrl_timeout} s: compared with reasonable only")
            owlrl_closure = None

    asserted = canonicalise(read_nt(nt))
    kg = canonicalise(read_nt(kgfuse_closure))
    print(f"ontology: {args.ontology}: {len(asserted)} canonical asserted triples; kgfuse closure {len(kg)} "
          f"({len(kg - asserted)} inferred)")
    status = 0
    ow = None
    if owlrl_closure:
        raw_kg, raw_ow = read_nt(kgfuse_closure), read_nt(owlrl_closure)
        eq_ref = sum(1 for t in raw_ow if t[1] == f"<{OWL}sameAs>" and t[0] == t[2])
        literal_subjects = sum(1 for t in raw_ow if t[0].startswith('"') and not (t[1] == f"<{OWL}sameAs>" and t[0] == t[2]))
        print(f"raw triples (blank nodes as labelled by each tool): kgfuse {len(raw_kg)}, owlrl {len(raw_ow)} "
              f"= {eq_ref} eq-ref + {literal_subjects} literal-subject + {len(raw_ow) - eq_ref - literal_subjects} others")
        ow = canonicalise(raw_ow)
        print(f"owlrl closure {len(ow)} ({len(ow - asserted)} inferred)")
        unexplained = compare("kgfuse", kg, "owlrl", ow, args.samples)
        print(f"\nkgfuse vs owlrl: unexplained {unexplained['kgfuse']} only in kgfuse, {unexplained['owlrl']} only in owlrl")
        status = 1 if sum(unexplained.values()) else 0
    rs = canonicalise(read_nt(reasonable_closure))
    print(f"\nreasonable closure {len(rs)} ({len(rs - asserted)} inferred)")
    compare("kgfuse", kg, "reasonable", rs, args.samples, reference=ow)
    sys.exit(status)


if __name__ == "__main__":
    main()
