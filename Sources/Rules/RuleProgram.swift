import RDF

/// A set of rules that is stratified and run to its fixpoint as one layer.
///
/// A `Reasoner` runs its programs in order: each program sees every fact of the earlier ones, but what a later
/// program derives is not fed back to earlier programs. So an ontology layer (RDFS or OWL 2 RL, whose rules read
/// and write any predicate) can sit under a pack layer that uses `not(...)` without making the whole unstratifiable.
public struct RuleProgram: Sendable {
    /// A name for messages (e.g. "owl2-rl").
    public var name: String
    /// The rules in the rule language.
    public var rules: [Rule]
    /// Rules written in Swift (OWL 2 RL list rules).
    var nativeRules: [any NativeRule]

    /// A program of parsed rules.
    public init(name: String, rules: [Rule]) {
        self.name = name
        self.rules = rules
        self.nativeRules = []
    }

    init(name: String, rules: [Rule], nativeRules: [any NativeRule]) {
        self.name = name
        self.rules = rules
        self.nativeRules = nativeRules
    }

    /// Ids of all rules, including the Swift-coded ones.
    public var ruleIDs: [String] { rules.map(\.id) + nativeRules.map(\.id) }

    /// The union of two programs (one layer).
    public static func + (lhs: RuleProgram, rhs: RuleProgram) -> RuleProgram {
        RuleProgram(name: lhs.name + "+" + rhs.name, rules: lhs.rules + rhs.rules, nativeRules: lhs.nativeRules + rhs.nativeRules)
    }
}
