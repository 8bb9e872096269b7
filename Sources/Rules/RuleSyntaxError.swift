/// A syntax error in a rules file, with where it happened and what is wrong.
public struct RuleSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or document name) being parsed, if known.
    public var file: String?
    /// 1-based line of the error.
    public var line: Int
    /// 1-based column of the error (in characters).
    public var column: Int
    /// What is wrong, in words a person can act on.
    public var message: String

    /// Creates a positioned rule syntax error.
    public init(file: String?, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, the form compilers use.
    public var description: String { "\(file ?? "<rules>"):\(line):\(column): \(message)" }
}

/// A rule program that parses but cannot be run: an unsafe variable, an unknown built-in, or negation in a cycle.
public struct RuleProgramError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rules involved, by id (for a negation cycle: the rules of the cycle, in order).
    public var ruleIDs: [String]
    /// Where the first involved rule was written, if known.
    public var location: SourceLocation?
    /// What is wrong.
    public var message: String

    /// Creates a program error.
    public init(ruleIDs: [String], location: SourceLocation? = nil, message: String) {
        self.ruleIDs = ruleIDs
        self.location = location
        self.message = message
    }

    /// `location: message`.
    public var description: String { "\(location?.description ?? "<rules>"): \(message)" }
}
