import RDF

/// One rule firing: which rule, with which bindings, on which facts, concluding what.
///
/// For `derive` rules there is one firing per derivation (every distinct premise set, not only the first);
/// for `flag`, `veto` and `require` rules one per match of the body on the final closure.
public struct Firing: Hashable, Sendable {
    /// The rule's id.
    public var ruleID: String
    /// The rule's action.
    public var action: RuleAction
    /// The rule's severity.
    public var severity: RuleSeverity
    /// The value of every body variable, by name (without `?`).
    public var bindings: [String: Term]
    /// The facts the positive body atoms matched, in body order.
    public var premises: [Triple]
    /// The instantiated head atoms (empty for a `false` head).
    public var conclusion: [Triple]
    /// True when the head is `false`: the premises are inconsistent.
    public var isInconsistency: Bool
    /// For `require` rules: whether the instantiated head held in the closure; nil for other actions.
    public var satisfied: Bool?

    /// Creates a firing record.
    public init(ruleID: String, action: RuleAction, severity: RuleSeverity, bindings: [String: Term], premises: [Triple],
                conclusion: [Triple], isInconsistency: Bool = false, satisfied: Bool? = nil) {
        self.ruleID = ruleID
        self.action = action
        self.severity = severity
        self.bindings = bindings
        self.premises = premises
        self.conclusion = conclusion
        self.isInconsistency = isInconsistency
        self.satisfied = satisfied
    }
}

/// Where the engine writes firings as they happen (the knowledge store persists them with derived facts).
public protocol FiringSink: AnyObject {
    /// Called once per firing; `newFacts` are the conclusion triples this firing added (empty when they were known).
    func record(_ firing: Firing, newFacts: [Triple]) throws
    /// False when the sink only wants derive firings that add a fact (the engine then skips building the others).
    var recordsRedundantDerivations: Bool { get }
}

extension FiringSink {
    /// By default a sink receives every firing.
    public var recordsRedundantDerivations: Bool { true }
}

/// A derive firing as the engine holds it: interned term ids and fact ids, valid only during the call.
struct InternedFiring {
    var ruleID: String
    var severity: RuleSeverity
    /// The rule's variable names (without `?`), parallel to `bindings`.
    var variableNames: [String]
    /// The value of each variable (`Reasoner.unbound` for a variable the match left unbound).
    var bindings: [TermID]
    /// The premise facts, in rule body order.
    var premises: [FactID]
    /// The instantiated head atoms.
    var conclusions: [(TermID, TermID, TermID)]
    /// The facts this firing added.
    var newFacts: [FactID]
}

/// A sink that takes derive firings as interned ids, so the engine builds no `Firing` (strings, dictionaries) for
/// them; inconsistencies and check firings still arrive through `record(_:newFacts:)`.
protocol InternedFiringSink: FiringSink {
    /// Called once per derive firing reported (see `recordsRedundantDerivations`).
    func recordDerive(_ firing: InternedFiring, dictionary: TermDictionary, facts: FactIndex) throws
}

/// A `FiringSink` that keeps every firing in memory.
public final class FiringCollector: FiringSink {
    /// The firings, in the order they happened.
    public private(set) var firings: [Firing] = []
    /// The facts added, in the order they were added.
    public private(set) var newFacts: [Triple] = []

    /// An empty collector.
    public init() {}

    /// Appends the firing and its new facts.
    public func record(_ firing: Firing, newFacts: [Triple]) throws {
        firings.append(firing)
        self.newFacts.append(contentsOf: newFacts)
    }
}

/// One way a fact was derived: a rule and the facts it used.
public struct Derivation: Hashable, Sendable {
    /// The rule's id.
    public var ruleID: String
    /// The premise facts, in rule body order.
    public var premises: [Triple]

    /// Creates a derivation record.
    public init(ruleID: String, premises: [Triple]) {
        self.ruleID = ruleID
        self.premises = premises
    }
}

/// A proof tree: a fact, and for derived facts each derivation with the proof trees of its premises.
public indirect enum ProofTree: Sendable, CustomStringConvertible {
    /// A fact of the input (or a fact whose tree was cut at the depth limit or a cycle).
    case asserted(Triple)
    /// A derived fact with every derivation found.
    case derived(Triple, [(ruleID: String, premises: [ProofTree])])

    /// The fact at the root.
    public var fact: Triple {
        switch self {
        case .asserted(let triple), .derived(let triple, _): return triple
        }
    }

    /// An indented text rendering.
    public var description: String { render(indent: "") }

    func render(indent: String) -> String {
        switch self {
        case .asserted(let triple): return "\(indent)\(triple)  [asserted]"
        case .derived(let triple, let derivations):
            var lines = ["\(indent)\(triple)"]
            for derivation in derivations {
                lines.append("\(indent)  by \(derivation.ruleID):")
                lines.append(contentsOf: derivation.premises.map { $0.render(indent: indent + "    ") })
            }
            return lines.joined(separator: "\n")
        }
    }
}
