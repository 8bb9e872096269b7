import RDF

/// The built-ins rules may call: the SWRL `swrlb:` core (see `BuiltInRegistry+SWRL.swift`) plus whatever a
/// domain pack registers from Swift, e.g. `registry.register("pack:peakNear") { args in ... }`.
///
/// Two kinds exist. A *test* sees all its arguments bound and answers true or false. A *function* follows the
/// SWRL convention for arithmetic (SWRL built-ins §8): its first argument is the result, computed from the
/// others; when the first argument is already bound the built-in holds if it equals the computed value.
/// A name is either a full IRI or `prefix:local`; prefixed names are expanded with `prefixes` (which knows
/// `swrlb:`), so a rule may call a registered `pack:peakNear` even if the rules file never declares `pack:`.
/// Register everything before parsing and running rules, from one thread: registration is not synchronised.
public final class BuiltInRegistry: @unchecked Sendable {
    /// A test: all arguments bound; true when the built-in holds.
    public typealias Test = @Sendable (_ arguments: [Term]) throws -> Bool
    /// A function: given arguments 2...n, returns the value of argument 1, or nil when undefined (the atom fails).
    public typealias Function = @Sendable (_ arguments: [Term]) throws -> Term?

    enum Implementation {
        case test(Test)
        case function(Function)
    }

    /// Namespaces used to expand prefixed built-in names (`swrlb:` is always present).
    public private(set) var prefixes: [String: String]
    private(set) var implementations: [String: Implementation] = [:]

    /// A registry with the SWRL core built-ins (`swrlb:equal` ... `swrlb:matches`) registered.
    public init() {
        prefixes = Vocabulary.standardPrefixes
        prefixes["swrlb"] = SWRLVocabulary.builtInNamespace
        prefixes["swrl"] = SWRLVocabulary.namespace
        registerSWRLCore()
    }

    /// Declares a namespace for prefixed built-in names (`registry.declare(prefix: "pack", namespace: "...")`).
    public func declare(prefix: String, namespace: String) { prefixes[prefix] = namespace }

    /// Registers a test built-in under `name` (an IRI or `prefix:local`), replacing any earlier one.
    public func register(_ name: String, _ test: @escaping Test) {
        implementations[canonicalName(name)] = .test(test)
    }

    /// Registers a function built-in (first argument = result) under `name`, replacing any earlier one.
    public func registerFunction(_ name: String, _ function: @escaping Function) {
        implementations[canonicalName(name)] = .function(function)
    }

    /// True when `name` (an IRI or prefixed name) names a registered built-in.
    public func contains(_ name: String) -> Bool { implementations[canonicalName(name)] != nil }

    /// The key a built-in is stored under: prefixed names with a known prefix become IRIs; others stay as written.
    public func canonicalName(_ name: String) -> String {
        if name.contains("://") || name.hasPrefix("urn:") { return name }
        if let colon = name.firstIndex(of: ":"), let namespace = prefixes[String(name[..<colon])] {
            return namespace + name[name.index(after: colon)...]
        }
        return name
    }

    func implementation(_ canonical: String) -> Implementation? { implementations[canonical] }
}

/// The SWRL namespaces (<https://www.w3.org/Submission/SWRL/>).
public enum SWRLVocabulary {
    /// `swrl:`
    public static let namespace = "http://www.w3.org/2003/11/swrl#"
    /// `swrlb:`, the built-ins namespace.
    public static let builtInNamespace = "http://www.w3.org/2003/11/swrlb#"
}
