import KnowledgeStore
import RDF

/// Proof trees rebuilt from the derivations a materialisation stored (`kgfuse explain`).
public enum StoredProof {
    /// Why a leaf of a stored proof tree has no children.
    public enum Leaf: Sendable, Equatable {
        /// The fact is in these asserted graphs.
        case asserted(graphs: [String])
        /// The depth limit was reached before the fact's derivations were expanded.
        case depthLimit
        /// Every derivation of the fact uses a fact already on the path from the root (a cycle).
        case cycle
        /// The fact is neither asserted nor derived in the store.
        case unknown
    }

    /// Rebuilds the proof tree of `fact`: each derived fact with every stored derivation, recursively, down to
    /// asserted facts. A branch stops at `maximumDepth` (the root has depth 0) or where a derivation would revisit
    /// a fact on its own path. Returns nil when the fact is neither asserted nor derived.
    ///
    /// Facts in an asserted graph are leaves even when they were also derived.
    public static func tree(for fact: Triple, in store: KnowledgeStore, maximumDepth: Int = 8) throws -> ProofTree? {
        var derivationCache: [Triple: [StoredDerivation]] = [:]
        var assertedCache: [Triple: Bool] = [:]
        func derivations(_ fact: Triple) throws -> [StoredDerivation] {
            if let cached = derivationCache[fact] { return cached }
            let found = try store.derivations(of: fact)
            derivationCache[fact] = found
            return found
        }
        func isAsserted(_ fact: Triple) throws -> Bool {
            if let cached = assertedCache[fact] { return cached }
            let found = try !store.assertedGraphs(containing: fact).isEmpty
            assertedCache[fact] = found
            return found
        }
        if try !isAsserted(fact), try derivations(fact).isEmpty { return nil }
        var path: Set<Triple> = []
        func build(_ fact: Triple, depth: Int) throws -> ProofTree {
            if try isAsserted(fact) || depth >= maximumDepth || path.contains(fact) { return .asserted(fact) }
            path.insert(fact)
            defer { path.remove(fact) }
            var branches: [(ruleID: String, premises: [ProofTree])] = []
            var seen: Set<Derivation> = []
            for derivation in try derivations(fact) {
                // The same derivation recorded by two inferred graphs (two profiles) is shown once.
                guard seen.insert(Derivation(ruleID: derivation.rule, premises: derivation.premises)).inserted else { continue }
                if derivation.premises.contains(where: path.contains) { continue }
                branches.append((derivation.rule, try derivation.premises.map { try build($0, depth: depth + 1) }))
            }
            if branches.isEmpty { return .asserted(fact) }
            return .derived(fact, branches)
        }
        return try build(fact, depth: 0)
    }

    /// Why a leaf of a tree from `tree(for:in:maximumDepth:)` is a leaf.
    public static func leaf(_ fact: Triple, in store: KnowledgeStore, depth: Int, maximumDepth: Int) throws -> Leaf {
        let graphs = try store.assertedGraphs(containing: fact)
        if !graphs.isEmpty { return .asserted(graphs: graphs) }
        if try store.derivations(of: fact).isEmpty { return .unknown }
        return depth >= maximumDepth ? .depthLimit : .cycle
    }
}
