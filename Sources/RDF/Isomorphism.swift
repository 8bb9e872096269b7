/// Graph isomorphism for RDF graphs with blank nodes (RDF 1.1 Concepts §3.6).
///
/// Two graphs are isomorphic when a bijection between their blank nodes maps one onto the other.
/// Blank nodes are first partitioned by an iterated signature (colour refinement); the remaining
/// ambiguity is resolved by backtracking over nodes of the same colour.
public enum GraphIsomorphism {
    /// True when `a` and `b` (as sets of triples) are isomorphic.
    public static func areIsomorphic(_ a: [Triple], _ b: [Triple]) -> Bool {
        let setA = Set(a), setB = Set(b)
        guard setA.count == setB.count else { return false }
        let groundA = setA.filter { !hasBlank($0) }, groundB = setB.filter { !hasBlank($0) }
        guard groundA == groundB else { return false }
        let blankA = Array(setA.subtracting(groundA)), blankB = Array(setB.subtracting(groundB))
        if blankA.isEmpty && blankB.isEmpty { return true }
        let coloursA = refine(blankA), coloursB = refine(blankB)
        guard coloursA.values.sorted() == coloursB.values.sorted() else { return false }
        let targetSet = Set(blankB)
        // Candidates: nodes of b sharing a colour, ordered by how rare the colour is.
        var byColourB: [Int: [BlankNode]] = [:]
        for (node, colour) in coloursB { byColourB[colour, default: []].append(node) }
        let order = coloursA.keys.sorted { (byColourB[coloursA[$0]!]?.count ?? 0, $0.id) < (byColourB[coloursA[$1]!]?.count ?? 0, $1.id) }
        var mapping: [BlankNode: BlankNode] = [:]
        var used: Set<BlankNode> = []
        func search(_ index: Int) -> Bool {
            if index == order.count {
                return blankA.allSatisfy { targetSet.contains(map($0, mapping)) }
            }
            let node = order[index]
            for candidate in byColourB[coloursA[node]!] ?? [] where !used.contains(candidate) {
                mapping[node] = candidate
                used.insert(candidate)
                if consistent(node, blankA, mapping, targetSet) && search(index + 1) { return true }
                used.remove(candidate)
                mapping[node] = nil
            }
            return false
        }
        return search(0)
    }

    static func hasBlank(_ t: Triple) -> Bool { t.subject.isBlank || t.object.isBlank }

    static func map(_ t: Triple, _ m: [BlankNode: BlankNode]) -> Triple {
        func f(_ term: Term) -> Term { if case .blank(let b) = term, let to = m[b] { return .blank(to) } else { return term } }
        return Triple(f(t.subject), t.predicate, f(t.object))
    }

    /// Checks the triples whose blank nodes are all mapped so far and involve `node`.
    static func consistent(_ node: BlankNode, _ triples: [Triple], _ m: [BlankNode: BlankNode], _ target: Set<Triple>) -> Bool {
        for t in triples {
            let involves = t.subject == .blank(node) || t.object == .blank(node)
            guard involves else { continue }
            var complete = true
            for term in [t.subject, t.object] { if case .blank(let b) = term, m[b] == nil { complete = false } }
            if complete && !target.contains(map(t, m)) { return false }
        }
        return true
    }

    /// Colour refinement: each blank node's colour is a hash of its ground neighbourhood, iterated.
    static func refine(_ triples: [Triple]) -> [BlankNode: Int] {
        var colour: [BlankNode: Int] = [:]
        for t in triples {
            for term in [t.subject, t.object] { if case .blank(let b) = term { colour[b] = 0 } }
        }
        func key(_ term: Term, _ colour: [BlankNode: Int]) -> String {
            if case .blank(let b) = term { return "_#\(colour[b]!)" }
            return term.description
        }
        for _ in 0..<max(1, min(colour.count, 8)) {
            var signature: [BlankNode: [String]] = [:]
            for t in triples {
                if case .blank(let s) = t.subject { signature[s, default: []].append("o|\(t.predicate)|\(key(t.object, colour))") }
                if case .blank(let o) = t.object { signature[o, default: []].append("i|\(t.predicate)|\(key(t.subject, colour))") }
            }
            var next: [BlankNode: Int] = [:]
            for (node, parts) in signature {
                next[node] = ("\(colour[node]!)#" + parts.sorted().joined(separator: ";")).stableHash
            }
            if Set(next.values).count == Set(colour.values).count { colour = next; break }
            colour = next
        }
        return colour
    }
}

extension String {
    /// A 64-bit FNV-1a hash of the UTF-8 bytes, stable across runs (unlike `hashValue`).
    var stableHash: Int {
        var h: UInt64 = 0xcbf29ce484222325
        for b in utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return Int(truncatingIfNeeded: h)
    }
}
