import RDF

/// The SWRL core built-ins kgfuse supports (<https://www.w3.org/Submission/SWRL/> §8): comparisons (§8.1),
/// arithmetic (§8.2, first argument = result) and strings (§8.5).
extension BuiltInRegistry {
    /// Registers the `swrlb:` built-ins and kgfuse's internal ones.
    func registerSWRLCore() {
        let swrlb = SWRLVocabulary.builtInNamespace
        register(swrlb + "equal") { args in try BuiltInRegistry.arity(args, 2, "equal"); return BuiltInRegistry.valueEquals(args[0], args[1]) }
        register(swrlb + "notEqual") { args in try BuiltInRegistry.arity(args, 2, "notEqual"); return !BuiltInRegistry.valueEquals(args[0], args[1]) }
        register(swrlb + "lessThan") { args in try BuiltInRegistry.compare(args, "lessThan") { $0 < 0 } }
        register(swrlb + "lessThanOrEqual") { args in try BuiltInRegistry.compare(args, "lessThanOrEqual") { $0 <= 0 } }
        register(swrlb + "greaterThan") { args in try BuiltInRegistry.compare(args, "greaterThan") { $0 > 0 } }
        register(swrlb + "greaterThanOrEqual") { args in try BuiltInRegistry.compare(args, "greaterThanOrEqual") { $0 >= 0 } }

        registerFunction(swrlb + "add") { args in
            try BuiltInRegistry.fold(args, "add", integer: { $0.addingReportingOverflow($1) }, real: +)
        }
        registerFunction(swrlb + "multiply") { args in
            try BuiltInRegistry.fold(args, "multiply", integer: { $0.multipliedReportingOverflow(by: $1) }, real: *)
        }
        registerFunction(swrlb + "subtract") { args in
            try BuiltInRegistry.arity(args, 2, "subtract")
            return try BuiltInRegistry.fold(args, "subtract", integer: { $0.subtractingReportingOverflow($1) }, real: -)
        }
        registerFunction(swrlb + "divide") { args in
            // op:numeric-divide: integer / integer is a decimal; division by zero is undefined (the atom fails).
            try BuiltInRegistry.arity(args, 2, "divide")
            guard let a = BuiltInRegistry.number(args[0]), let b = BuiltInRegistry.number(args[1]), b.doubleValue != 0 else { return nil }
            if case .double = a { return .literal(NumericValue.double(a.doubleValue / b.doubleValue).literal) }
            if case .double = b { return .literal(NumericValue.double(a.doubleValue / b.doubleValue).literal) }
            return .literal(NumericValue.decimal(a.doubleValue / b.doubleValue).literal)
        }
        registerFunction(swrlb + "abs") { args in
            try BuiltInRegistry.arity(args, 1, "abs")
            guard let a = BuiltInRegistry.number(args[0]) else { return nil }
            switch a {
            case .integer(let value): return value == .min ? nil : .literal(NumericValue.integer(abs(value)).literal)
            case .decimal(let value): return .literal(NumericValue.decimal(abs(value)).literal)
            case .double(let value): return .literal(NumericValue.double(abs(value)).literal)
            }
        }
        registerFunction(swrlb + "stringConcat") { args in
            var result = ""
            for arg in args {
                guard let text = BuiltInRegistry.string(arg) else { return nil }
                result += text
            }
            return .literal(Literal(result))
        }
        register(swrlb + "contains") { args in
            try BuiltInRegistry.arity(args, 2, "contains")
            guard let a = BuiltInRegistry.string(args[0]), let b = BuiltInRegistry.string(args[1]) else { return false }
            return b.isEmpty || a.contains(b)
        }
        register(swrlb + "startsWith") { args in
            try BuiltInRegistry.arity(args, 2, "startsWith")
            guard let a = BuiltInRegistry.string(args[0]), let b = BuiltInRegistry.string(args[1]) else { return false }
            return a.hasPrefix(b)
        }
        register(swrlb + "matches") { args in
            // fn:matches(input, pattern[, flags]): true when the pattern matches anywhere in the input; flag "i" ignores case.
            guard args.count == 2 || args.count == 3 else { throw BuiltInError(message: "swrlb:matches takes 2 or 3 arguments, got \(args.count)") }
            guard let input = BuiltInRegistry.string(args[0]), let pattern = BuiltInRegistry.string(args[1]) else { return false }
            let flags = args.count == 3 ? BuiltInRegistry.string(args[2]) ?? "" : ""
            do {
                var regex = try Regex(pattern)
                if flags.contains("i") { regex = regex.ignoresCase() }
                return input.firstMatch(of: regex) != nil
            } catch {
                throw BuiltInError(message: "swrlb:matches: invalid regular expression '\(pattern)'")
            }
        }
        register(KGFuseRuleVocabulary.isContainerMembershipProperty) { args in
            // rdf:_n for n ≥ 1 (RDF 1.1 Semantics §4, the container membership properties).
            try BuiltInRegistry.arity(args, 1, "isContainerMembershipProperty")
            guard case .iri(let iri) = args[0], iri.value.hasPrefix(Vocabulary.RDF.namespace + "_") else { return false }
            let digits = iri.value.dropFirst(Vocabulary.RDF.namespace.count + 1)
            return !digits.isEmpty && !digits.hasPrefix("0") && digits.allSatisfy { $0.isASCII && $0.isNumber }
        }
    }

    static func arity(_ args: [Term], _ count: Int, _ name: String) throws {
        guard args.count == count else { throw BuiltInError(message: "swrlb:\(name) takes \(count) argument(s), got \(args.count)") }
    }

    static func number(_ term: Term) -> NumericValue? {
        guard case .literal(let literal) = term else { return nil }
        return NumericValue(literal)
    }

    /// The string value of a literal (its lexical form); nil for IRIs and blank nodes.
    static func string(_ term: Term) -> String? {
        guard case .literal(let literal) = term else { return nil }
        return literal.lexicalForm
    }

    /// Value equality: numbers compare numerically (`1` = `1.0`), other terms by identity.
    static func valueEquals(_ a: Term, _ b: Term) -> Bool {
        if let x = number(a), let y = number(b) { return x.numericallyEquals(y) }
        return a == b
    }

    /// Ordering of two numbers, or of two plain strings (xsd:string) by code points; other pairs never compare.
    static func compare(_ args: [Term], _ name: String, _ accept: (Int) -> Bool) throws -> Bool {
        try arity(args, 2, name)
        if let x = number(args[0]), let y = number(args[1]) {
            if x.doubleValue.isNaN || y.doubleValue.isNaN { return false }
            return accept(x.numericallyEquals(y) ? 0 : (x < y ? -1 : 1))
        }
        if case .literal(let a) = args[0], case .literal(let b) = args[1],
           a.datatype == Vocabulary.XSD.string, b.datatype == Vocabulary.XSD.string {
            return accept(a.lexicalForm == b.lexicalForm ? 0 : (a.lexicalForm.unicodeScalars.lexicographicallyPrecedes(b.lexicalForm.unicodeScalars) ? -1 : 1))
        }
        return false
    }

    /// Left fold of a numeric operation over arguments 2...n (the first argument is the result slot).
    static func fold(_ args: [Term], _ name: String, integer: (Int, Int) -> (Int, Bool), real: (Double, Double) -> Double) throws -> Term? {
        guard args.count >= 2 else { throw BuiltInError(message: "swrlb:\(name) needs at least 2 operands") }
        guard var accumulator = number(args[0]) else { return nil }
        for arg in args.dropFirst() {
            guard let value = number(arg), let next = NumericValue.combine(accumulator, value, integer: integer, real: real) else { return nil }
            accumulator = next
        }
        return .literal(accumulator.literal)
    }
}

/// A built-in was called wrongly (wrong number of arguments, invalid pattern).
public struct BuiltInError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// Creates a built-in error.
    public init(message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// kgfuse's own rule vocabulary (internal built-ins of the RDFS rule set).
public enum KGFuseRuleVocabulary {
    /// The namespace of kgfuse rule built-ins.
    public static let namespace = "urn:kgfuse:rules#"
    /// `kgfuse:isContainerMembershipProperty(?p)`: true for `rdf:_1`, `rdf:_2`, ...
    public static let isContainerMembershipProperty = namespace + "isContainerMembershipProperty"
}
