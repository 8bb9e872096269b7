import RDF

/// Parses rules written in human-readable SWRL with kgfuse's extensions (see `RuleLanguage`).
///
/// Names resolve through the declared prefixes; `rdf`, `rdfs`, `owl`, `xsd`, `swrl` and `swrlb` are predeclared.
/// A bare name (`Person`) uses the default namespace: `prefix : <...>` in the file or `defaultNamespace`.
public struct RuleParser {
    /// The name used in error messages and rule locations (usually the file path).
    public var documentName: String?
    /// The namespace of bare names when the file declares no `:` prefix.
    public var defaultNamespace: String?
    /// Built-ins a rule may call; atoms naming one become built-in atoms.
    public var builtIns: BuiltInRegistry

    /// Creates a parser.
    public init(documentName: String? = nil, defaultNamespace: String? = nil, builtIns: BuiltInRegistry = BuiltInRegistry()) {
        self.documentName = documentName
        self.defaultNamespace = defaultNamespace
        self.builtIns = builtIns
    }

    /// Parses a whole rules document.
    public func parse(_ text: String) throws -> [Rule] {
        var lexer = RuleLexer(text: text, documentName: documentName)
        var state = RuleParserState(tokens: try lexer.tokenize(), parser: self)
        return try state.parseDocument()
    }
}

/// The token cursor and prefix table of one parse.
struct RuleParserState {
    let tokens: [RuleToken]
    let parser: RuleParser
    var index = 0
    var prefixes: [String: String]
    var ruleIDs: Set<String> = []

    init(tokens: [RuleToken], parser: RuleParser) {
        self.tokens = tokens
        self.parser = parser
        var prefixes = Vocabulary.standardPrefixes
        prefixes["swrl"] = SWRLVocabulary.namespace
        prefixes["swrlb"] = SWRLVocabulary.builtInNamespace
        if let namespace = parser.defaultNamespace { prefixes[""] = namespace }
        self.prefixes = prefixes
    }

    var current: RuleToken { tokens[index] }
    func peek(_ offset: Int) -> RuleToken { tokens[min(index + offset, tokens.count - 1)] }

    func error(_ message: String, at token: RuleToken? = nil) -> RuleSyntaxError {
        let token = token ?? current
        return RuleSyntaxError(file: parser.documentName, line: token.line, column: token.column, message: message)
    }

    func describe(_ token: RuleToken) -> String {
        switch token.kind {
        case .variable(let name): return "variable ?\(name)"
        case .iri(let iri): return "<\(iri)>"
        case .name(let prefix, let local): return "'\(prefix.map { $0 + ":" } ?? "")\(local)'"
        case .string(let text): return "string \"\(text)\""
        case .number(let text, _): return "number \(text)"
        case .at(let word): return "'@\(word)'"
        case .symbol(let symbol): return "'\(symbol)'"
        case .end: return "end of input"
        }
    }

    func isSymbol(_ symbol: String, _ token: RuleToken? = nil) -> Bool { (token ?? current).kind == .symbol(symbol) }

    func isBareName(_ word: String, _ token: RuleToken? = nil, caseInsensitive: Bool = false) -> Bool {
        guard case .name(nil, let local) = (token ?? current).kind else { return false }
        return caseInsensitive ? local.lowercased() == word : local == word
    }

    mutating func expectSymbol(_ symbol: String, _ context: String) throws {
        guard isSymbol(symbol) else { throw error("expected '\(symbol)' \(context), found \(describe(current))") }
        index += 1
    }

    // MARK: Document

    mutating func parseDocument() throws -> [Rule] {
        var rules: [Rule] = []
        while current.kind != .end {
            if case .at(let word) = current.kind {
                guard word == "prefix" else { throw error("unknown directive '@\(word)': only @prefix is allowed") }
                index += 1
                try parsePrefixDeclaration()
                try expectSymbol(".", "after the @prefix declaration")
                continue
            }
            if isBareName("prefix", caseInsensitive: true), case .name(.some, "") = peek(1).kind {
                index += 1
                try parsePrefixDeclaration()
                if isSymbol(".") { index += 1 }
                continue
            }
            rules.append(try parseRule())
        }
        return rules
    }

    /// `ex: <namespace>` after `@prefix` / `prefix`.
    mutating func parsePrefixDeclaration() throws {
        guard case .name(.some(let prefix), "") = current.kind else {
            throw error("expected a prefix name followed by ':', found \(describe(current))")
        }
        index += 1
        guard case .iri(let namespace) = current.kind else { throw error("expected the namespace IRI <...>, found \(describe(current))") }
        index += 1
        prefixes[prefix] = namespace
    }

    // MARK: Rules

    /// `[header]? body -> head .?`
    mutating func parseRule() throws -> Rule {
        let start = current
        let location = SourceLocation(file: parser.documentName, line: start.line, column: start.column)
        var id: String?
        var description: String?
        var severity = RuleSeverity.medium
        var action = RuleAction.derive
        if isSymbol("[") {
            index += 1
            while !isSymbol("]") {
                let keyToken = current
                let key: String
                switch current.kind {
                case .name(.some(let prefix), ""):
                    key = prefix
                    index += 1
                case .name(.some(let prefix), let local):
                    // `[id:r1]` without a space lexes as one prefixed name: the key is the prefix, the value the rest.
                    key = prefix
                    index += 1
                    try applyHeader(key: key, value: local, keyToken: keyToken, valueToken: keyToken, id: &id, description: &description,
                                    severity: &severity, action: &action)
                    if isSymbol(",") { index += 1 } else if !isSymbol("]") {
                        throw error("expected ',' or ']' in the rule header, found \(describe(current))")
                    }
                    continue
                case .name(nil, let local):
                    key = local
                    index += 1
                    try expectSymbol(":", "after the header key '\(local)'")
                default:
                    throw error("expected a header entry 'key: value' (id, description, severity, action), found \(describe(current))")
                }
                let valueToken = current
                let value: String
                switch current.kind {
                case .string(let text): value = text
                case .name(let prefix, let local): value = (prefix.map { $0 + ":" } ?? "") + local
                case .number(let text, _): value = text
                default: throw error("expected a value for '\(key)', found \(describe(current))")
                }
                index += 1
                try applyHeader(key: key, value: value, keyToken: keyToken, valueToken: valueToken, id: &id, description: &description,
                                severity: &severity, action: &action)
                if isSymbol(",") { index += 1 } else if !isSymbol("]") {
                    throw error("expected ',' or ']' in the rule header, found \(describe(current))")
                }
            }
            index += 1
        }
        let ruleID = id ?? "\(parser.documentName ?? "rules")#\(start.line)"
        if ruleIDs.contains(ruleID) { throw error("duplicate rule id '\(ruleID)'", at: start) }
        ruleIDs.insert(ruleID)

        var body: [BodyAtom] = []
        if !isSymbol("->") {
            body.append(try parseBodyAtom())
            while isSymbol("^") {
                index += 1
                body.append(try parseBodyAtom())
            }
        }
        try expectSymbol("->", "between the rule body and head (atoms are joined with '^')")
        var head: [TripleAtom] = []
        var concludesFalse = false
        if isBareName("false"), !isSymbol("(", peek(1)) {
            index += 1
            concludesFalse = true
        } else {
            while true {
                let token = current
                switch try parseAtom() {
                case .triple(let atom): head.append(atom)
                case .builtIn(let name, _): throw error("a built-in (\(name)) cannot be a head atom", at: token)
                case .negation: throw error("not(...) cannot be a head atom", at: token)
                }
                guard isSymbol("^") else { break }
                index += 1
            }
        }
        if isSymbol(".") { index += 1 }
        let rule = Rule(id: ruleID, description: description, severity: severity, action: action,
                        body: body, head: head, concludesFalse: concludesFalse, location: location)
        try RuleParserState.checkSafety(rule)
        return rule
    }

    /// Stores one header entry, checking the key and, for severity and action, the value.
    func applyHeader(key: String, value: String, keyToken: RuleToken, valueToken: RuleToken, id: inout String?, description: inout String?,
                     severity: inout RuleSeverity, action: inout RuleAction) throws {
        switch key {
        case "id": id = value
        case "description": description = value
        case "severity":
            guard let parsed = RuleSeverity(rawValue: value) else {
                throw error("unknown severity '\(value)': use one of \(RuleSeverity.allCases.map(\.rawValue).joined(separator: ", "))", at: valueToken)
            }
            severity = parsed
        case "action":
            guard let parsed = RuleAction(rawValue: value) else {
                throw error("unknown action '\(value)': use one of \(RuleAction.allCases.map(\.rawValue).joined(separator: ", "))", at: valueToken)
            }
            action = parsed
        default:
            throw error("unknown header key '\(key)': use id, description, severity or action", at: keyToken)
        }
    }

    /// A body atom: `not(...)` or an atom.
    mutating func parseBodyAtom() throws -> BodyAtom {
        if isBareName("not"), isSymbol("(", peek(1)) {
            let start = current
            index += 2
            var atoms: [BodyAtom] = [try parseBodyAtom()]
            while isSymbol("^") || isSymbol(",") {
                index += 1
                atoms.append(try parseBodyAtom())
            }
            try expectSymbol(")", "to close not(...)")
            if atoms.contains(where: { if case .negation = $0 { return true } else { return false } }) {
                throw error("not(...) cannot be nested", at: start)
            }
            return .negation(atoms)
        }
        return try parseAtom()
    }

    /// `C(?x)`, `p(?x, ?y)`, `?p(?x, ?y)`, `sameAs(?x, ?y)`, `differentFrom(?x, ?y)` or `builtin(args...)`.
    mutating func parseAtom() throws -> BodyAtom {
        let start = current
        let predicate: RuleTerm
        var builtInName: String?
        switch current.kind {
        case .variable(let name):
            predicate = .variable(name)
        case .name(nil, "sameAs"):
            predicate = .constant(.iri(Vocabulary.OWL.sameAs))
        case .name(nil, "differentFrom"):
            predicate = .constant(.iri(IRI(Vocabulary.OWL.namespace + "differentFrom")))
        case .name(let prefix, let local):
            let written = (prefix.map { $0 + ":" } ?? "") + local
            if let prefix, prefixes[prefix] == nil, parser.builtIns.contains(written) {
                builtInName = parser.builtIns.canonicalName(written)
                predicate = .constant(.iri(IRI(builtInName!)))
            } else {
                let iri = try expand(prefix: prefix, local: local, at: start)
                if parser.builtIns.contains(written) { builtInName = parser.builtIns.canonicalName(written) }
                else if parser.builtIns.contains(iri) { builtInName = parser.builtIns.canonicalName(iri) }
                else if iri.hasPrefix(SWRLVocabulary.builtInNamespace) {
                    throw error("unknown built-in '\(written)': kgfuse supports swrlb: equal, notEqual, lessThan, lessThanOrEqual, greaterThan, greaterThanOrEqual, add, subtract, multiply, divide, abs, stringConcat, contains, startsWith, matches", at: start)
                }
                predicate = .constant(.iri(IRI(iri)))
            }
        case .iri(let iri):
            if parser.builtIns.contains(iri) { builtInName = parser.builtIns.canonicalName(iri) }
            predicate = .constant(.iri(IRI(iri)))
        default:
            throw error("expected an atom such as Class(?x) or property(?x, ?y), found \(describe(current))")
        }
        index += 1
        try expectSymbol("(", "after the atom name")
        var arguments: [RuleTerm] = []
        if !isSymbol(")") {
            arguments.append(try parseArgument())
            while isSymbol(",") {
                index += 1
                arguments.append(try parseArgument())
            }
        }
        try expectSymbol(")", "to close the atom's argument list")
        if let builtInName { return .builtIn(name: builtInName, arguments: arguments) }
        switch arguments.count {
        case 1:
            if case .variable = predicate { throw error("a variable predicate needs two arguments: ?p(?subject, ?object)", at: start) }
            return .triple(TripleAtom(arguments[0], .constant(.iri(Vocabulary.RDF.type)), predicate))
        case 2:
            return .triple(TripleAtom(arguments[0], predicate, arguments[1]))
        default:
            throw error("atom \(describe(start)) has \(arguments.count) arguments: class atoms take 1 and property atoms 2 (is it an unregistered built-in?)", at: start)
        }
    }

    /// A variable, IRI, prefixed name, literal, number or boolean.
    mutating func parseArgument() throws -> RuleTerm {
        let token = current
        index += 1
        switch token.kind {
        case .variable(let name): return .variable(name)
        case .iri(let iri): return .constant(.iri(IRI(iri)))
        case .name(nil, "true"): return .constant(.literal(Literal("true", datatype: Vocabulary.XSD.boolean)))
        case .name(nil, "false"): return .constant(.literal(Literal("false", datatype: Vocabulary.XSD.boolean)))
        case .name(let prefix, let local): return .constant(.iri(IRI(try expand(prefix: prefix, local: local, at: token))))
        case .number(let text, let datatype): return .constant(.literal(Literal(text, datatype: datatype)))
        case .string(let text):
            if case .at(let tag) = current.kind {
                index += 1
                return .constant(.literal(Literal(text, language: tag)))
            }
            if isSymbol("^^") {
                index += 1
                let datatypeToken = current
                index += 1
                switch datatypeToken.kind {
                case .iri(let iri): return .constant(.literal(Literal(text, datatype: IRI(iri))))
                case .name(let prefix, let local):
                    return .constant(.literal(Literal(text, datatype: IRI(try expand(prefix: prefix, local: local, at: datatypeToken)))))
                default: throw error("expected a datatype IRI after '^^', found \(describe(datatypeToken))", at: datatypeToken)
                }
            }
            return .constant(.literal(Literal(text)))
        default:
            throw error("expected an argument (a ?variable, IRI, name or literal), found \(describe(token))", at: token)
        }
    }

    func expand(prefix: String?, local: String, at token: RuleToken) throws -> String {
        guard let namespace = prefixes[prefix ?? ""] else {
            if let prefix { throw error("undefined prefix '\(prefix):' (declare it with `prefix \(prefix): <...>`)", at: token) }
            throw error("bare name '\(local)' has no namespace: declare `prefix : <...>` or use prefix:name", at: token)
        }
        return namespace + local
    }

    /// Safety (SWRL §6 / Datalog): head, negated and input built-in variables must be bound by positive body atoms
    /// or by the result argument of a function built-in.
    static func checkSafety(_ rule: Rule) throws {
        var bound: Set<String> = []
        for atom in rule.body {
            switch atom {
            case .triple(let triple): bound.formUnion(triple.variables)
            case .builtIn(_, let arguments): if let first = arguments.first?.variableName { bound.insert(first) }
            case .negation: break
            }
        }
        let headVariables = rule.head.flatMap(\.variables)
        if let unsafe = headVariables.first(where: { !bound.contains($0) }) {
            throw RuleProgramError(ruleIDs: [rule.id], location: rule.location,
                                   message: "rule \(rule.id): head variable ?\(unsafe) does not occur in the body")
        }
        for atom in rule.body {
            guard case .negation(let inner) = atom else { continue }
            var innerBound = bound
            for element in inner { if case .triple(let triple) = element { innerBound.formUnion(triple.variables) } }
            for element in inner {
                if case .builtIn(let name, let arguments) = element,
                   let unsafe = arguments.dropFirst().compactMap(\.variableName).first(where: { !innerBound.contains($0) }) {
                    throw RuleProgramError(ruleIDs: [rule.id], location: rule.location,
                                           message: "rule \(rule.id): variable ?\(unsafe) of \(name) inside not(...) is never bound")
                }
            }
        }
    }
}
