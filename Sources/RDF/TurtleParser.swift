/// A parser for RDF 1.1 Turtle (<https://www.w3.org/TR/turtle/>), grammar §6.5.
///
/// It reads UTF-8 text, resolves relative IRIs against the base (RFC 3986, via `IRIResolver`), expands
/// prefixed names, and hands each triple to a handler as soon as it is complete. Blank node labels keep
/// their document label; `[]`, `[ ... ]` and collections get fresh labels `anon1`, `anon2`, ...
/// (a document label of that form is renamed `u` + label so the two never collide).
/// Errors are `RDFSyntaxError`s with the 1-based line and column of the offending character.
public struct TurtleParser: Sendable {
    /// The base IRI relative references resolve against until an `@base` / `BASE` directive changes it.
    public var baseIRI: String?
    /// The name used in error messages (usually the file path).
    public var documentName: String?

    /// Creates a parser with an initial base IRI; `documentName` appears in error messages.
    public init(baseIRI: String? = nil, documentName: String? = nil) {
        self.baseIRI = baseIRI
        self.documentName = documentName
    }

    /// Parses a whole document, reporting each prefix declaration (prefix, namespace IRI) and each triple.
    public func parse(_ text: String, onPrefix: ((String, String) -> Void)? = nil, onTriple: TripleHandler) throws {
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = TurtleReader(bytes: buffer, baseIRI: baseIRI, documentName: documentName)
            reader.onPrefix = onPrefix
            try reader.parseDocument(onTriple: onTriple)
        }
    }

    /// Parses a document and returns all its triples in document order.
    public func triples(in text: String) throws -> [Triple] {
        var result: [Triple] = []
        try parse(text, onPrefix: nil) { result.append($0) }
        return result
    }
}
