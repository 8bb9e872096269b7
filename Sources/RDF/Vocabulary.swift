/// Namespaces and terms of the core vocabularies (RDF, RDFS, OWL, XSD) used across kgfuse.
public enum Vocabulary {
    /// The `rdf:` namespace.
    public enum RDF {
        public static let namespace = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        public static let type = IRI(namespace + "type")
        public static let first = IRI(namespace + "first")
        public static let rest = IRI(namespace + "rest")
        public static let `nil` = IRI(namespace + "nil")
        public static let subject = IRI(namespace + "subject")
        public static let predicate = IRI(namespace + "predicate")
        public static let object = IRI(namespace + "object")
        public static let statement = IRI(namespace + "Statement")
        public static let langString = IRI(namespace + "langString")
        public static let xmlLiteral = IRI(namespace + "XMLLiteral")
        public static let property = IRI(namespace + "Property")
    }
    /// The `rdfs:` namespace.
    public enum RDFS {
        public static let namespace = "http://www.w3.org/2000/01/rdf-schema#"
        public static let label = IRI(namespace + "label")
        public static let comment = IRI(namespace + "comment")
        public static let subClassOf = IRI(namespace + "subClassOf")
        public static let subPropertyOf = IRI(namespace + "subPropertyOf")
        public static let domain = IRI(namespace + "domain")
        public static let range = IRI(namespace + "range")
        public static let `class` = IRI(namespace + "Class")
    }
    /// The `owl:` namespace.
    public enum OWL {
        public static let namespace = "http://www.w3.org/2002/07/owl#"
        public static let `class` = IRI(namespace + "Class")
        public static let restriction = IRI(namespace + "Restriction")
        public static let onProperty = IRI(namespace + "onProperty")
        public static let someValuesFrom = IRI(namespace + "someValuesFrom")
        public static let allValuesFrom = IRI(namespace + "allValuesFrom")
        public static let objectProperty = IRI(namespace + "ObjectProperty")
        public static let namedIndividual = IRI(namespace + "NamedIndividual")
        public static let thing = IRI(namespace + "Thing")
        public static let nothing = IRI(namespace + "Nothing")
        public static let equivalentClass = IRI(namespace + "equivalentClass")
        public static let intersectionOf = IRI(namespace + "intersectionOf")
        public static let sameAs = IRI(namespace + "sameAs")
        public static let deprecated = IRI(namespace + "deprecated")
    }
    /// The `xsd:` namespace.
    public enum XSD {
        public static let namespace = "http://www.w3.org/2001/XMLSchema#"
        public static let string = IRI(namespace + "string")
        public static let integer = IRI(namespace + "integer")
        public static let decimal = IRI(namespace + "decimal")
        public static let double = IRI(namespace + "double")
        public static let boolean = IRI(namespace + "boolean")
    }
    /// SKOS, for `skos:prefLabel`.
    public enum SKOS {
        public static let namespace = "http://www.w3.org/2004/02/skos/core#"
        public static let prefLabel = IRI(namespace + "prefLabel")
        public static let altLabel = IRI(namespace + "altLabel")
    }
    /// oboInOwl, the annotation vocabulary of OBO ontologies (synonyms).
    public enum OBOInOWL {
        public static let namespace = "http://www.geneontology.org/formats/oboInOwl#"
        public static let hasExactSynonym = IRI(namespace + "hasExactSynonym")
        public static let hasRelatedSynonym = IRI(namespace + "hasRelatedSynonym")
        public static let hasBroadSynonym = IRI(namespace + "hasBroadSynonym")
        public static let hasNarrowSynonym = IRI(namespace + "hasNarrowSynonym")
        public static let id = IRI(namespace + "id")
    }

    /// The prefixes every query may use without declaring them.
    public static let standardPrefixes: [String: String] = [
        "rdf": RDF.namespace, "rdfs": RDFS.namespace, "owl": OWL.namespace, "xsd": XSD.namespace,
    ]
}
