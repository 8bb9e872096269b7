/// A syntax error in an RDF document, with where it happened and what is wrong.
public struct RDFSyntaxError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file (or document name) being parsed, if known.
    public var file: String?
    /// 1-based line of the error, or 0 if unknown.
    public var line: Int
    /// 1-based column of the error, or 0 if unknown.
    public var column: Int
    /// What is wrong, in words a person can act on.
    public var message: String

    /// Creates a positioned syntax error.
    public init(file: String? = nil, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, the form compilers use.
    public var description: String {
        "\(file ?? "<input>"):\(line):\(column): \(message)"
    }
}

/// Something that consumes triples as a parser produces them, one at a time.
public typealias TripleHandler = (Triple) throws -> Void
