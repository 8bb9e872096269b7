import RDF

/// A term of a rule atom: a variable (`?name`) or a constant RDF term.
public enum RuleTerm: Hashable, Sendable, CustomStringConvertible {
    /// `?name` (the name is stored without `?`).
    case variable(String)
    /// An IRI, blank node or literal.
    case constant(Term)

    /// The variable name (without `?`) if this is a variable.
    public var variableName: String? { if case .variable(let name) = self { return name } else { return nil } }

    /// `?name` or the constant in N-Triples syntax.
    public var description: String {
        switch self {
        case .variable(let name): return "?\(name)"
        case .constant(let term): return term.description
        }
    }
}

/// A triple pattern: class atoms `C(?x)` become `?x rdf:type C`, property atoms `p(?x, ?y)` become `?x p ?y`.
public struct TripleAtom: Hashable, Sendable, CustomStringConvertible {
    /// The subject position.
    public var subject: RuleTerm
    /// The predicate position (a variable only with the `?p(?s, ?o)` extension).
    public var predicate: RuleTerm
    /// The object position.
    public var object: RuleTerm

    /// Builds a triple pattern from its three terms.
    public init(_ subject: RuleTerm, _ predicate: RuleTerm, _ object: RuleTerm) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
    }

    /// The variables of the pattern, in subject, predicate, object order.
    public var variables: [String] { [subject, predicate, object].compactMap(\.variableName) }

    /// `s p o` with rule terms.
    public var description: String { "\(subject) \(predicate) \(object)" }
}

/// One element of a rule body.
public indirect enum BodyAtom: Hashable, Sendable, CustomStringConvertible {
    /// A triple pattern that must match a fact.
    case triple(TripleAtom)
    /// A built-in call (`swrlb:greaterThan(?age, 17)`); `name` is the built-in's IRI or registered name.
    case builtIn(name: String, arguments: [RuleTerm])
    /// `not(a ^ b ...)`: stratified negation as failure; true when the conjunction has no solution.
    case negation([BodyAtom])

    /// Every variable the atom mentions.
    public var variables: [String] {
        switch self {
        case .triple(let atom): return atom.variables
        case .builtIn(_, let arguments): return arguments.compactMap(\.variableName)
        case .negation(let atoms): return atoms.flatMap(\.variables)
        }
    }

    /// The atom in a readable form.
    public var description: String {
        switch self {
        case .triple(let atom): return "(\(atom))"
        case .builtIn(let name, let arguments): return "\(name)(\(arguments.map(\.description).joined(separator: ", ")))"
        case .negation(let atoms): return "not(\(atoms.map(\.description).joined(separator: " ^ ")))"
        }
    }
}

/// What a rule does when its body matches (`[action: ...]` in the rule header).
public enum RuleAction: String, Hashable, Sendable, CaseIterable {
    /// Assert the head atoms as derived facts (the default).
    case derive
    /// Report the instantiated head as a flag; nothing is asserted.
    case flag
    /// Report the instantiated head as a veto (e.g. of a prediction); nothing is asserted.
    case veto
    /// After the fixpoint, check that the instantiated head holds; the firing says whether it did.
    case require
}

/// How serious a rule's firing is (`[severity: ...]`), for flags, vetoes and requirements.
public enum RuleSeverity: String, Hashable, Sendable, CaseIterable, Comparable {
    /// Severity levels, in increasing order.
    case info, low, medium, high, critical

    /// Orders severities from `info` to `critical`.
    public static func < (lhs: RuleSeverity, rhs: RuleSeverity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Where something was written: file, 1-based line and column.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file or document name, if known.
    public var file: String?
    /// 1-based line.
    public var line: Int
    /// 1-based column, in characters.
    public var column: Int

    /// Creates a location.
    public init(file: String?, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`.
    public var description: String { "\(file ?? "<rules>"):\(line):\(column)" }
}

/// One rule: a body of atoms, a head of triple atoms (or `false`), and its metadata.
public struct Rule: Hashable, Sendable {
    /// The rule's identifier (from the header, or `file#line` when the header has none).
    public var id: String
    /// A human description, if given.
    public var description: String?
    /// Severity of the rule's firings.
    public var severity: RuleSeverity
    /// What happens on a match.
    public var action: RuleAction
    /// The conjunction of body atoms.
    public var body: [BodyAtom]
    /// The head atoms (empty when `concludesFalse`).
    public var head: [TripleAtom]
    /// True for a head written `false`: a match is an inconsistency (OWL 2 RL `false` rules).
    public var concludesFalse: Bool
    /// Where the rule was written, if it was parsed.
    public var location: SourceLocation?

    /// Creates a rule.
    public init(id: String, description: String? = nil, severity: RuleSeverity = .medium, action: RuleAction = .derive,
                body: [BodyAtom], head: [TripleAtom], concludesFalse: Bool = false, location: SourceLocation? = nil) {
        self.id = id
        self.description = description
        self.severity = severity
        self.action = action
        self.body = body
        self.head = head
        self.concludesFalse = concludesFalse
        self.location = location
    }

    /// `[id] body -> head`.
    public var text: String {
        let bodyText = body.map(\.description).joined(separator: " ^ ")
        let headText = concludesFalse ? "false" : head.map { "(\($0))" }.joined(separator: " ^ ")
        return "[\(id)] \(bodyText) -> \(headText)"
    }
}
