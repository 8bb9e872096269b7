/// Orders rules into strata so that negation only reads what lower strata have finished (stratified
/// negation as failure, Apt–Blair–Walker). Rule R2 depends on R1 when a head atom of R1 could match a body
/// atom of R2; the dependency is negative when the body atom is inside `not(...)`.
enum Stratifier {
    /// An item to stratify: what it reads positively, negatively, and what it writes.
    struct Item {
        var id: String
        var bodyKeys: [PredicateKey]
        var negatedKeys: [PredicateKey]
        var headKeys: [PredicateKey]
        /// Native rules read and write everything.
        var readsAndWritesEverything: Bool
    }

    /// The stratum number of each item (0-based); throws naming the rules of a cycle through negation.
    static func strata(_ items: [Item], typePredicate: TermID) throws -> [Int] {
        let count = items.count
        // edges[a] = [(b, negative)]: b depends on a.
        var edges = [[(Int, Bool)]](repeating: [], count: count)
        let any = PredicateKey(predicate: nil, typeObject: nil)
        for a in 0..<count {
            let writes = items[a].readsAndWritesEverything ? [any] : items[a].headKeys
            if writes.isEmpty { continue }
            for b in 0..<count {
                let reads = items[b].readsAndWritesEverything ? [any] : items[b].bodyKeys
                let negatedReads = items[b].negatedKeys
                let negative = writes.contains { w in negatedReads.contains { w.overlaps($0, typePredicate: typePredicate) } }
                let positive = writes.contains { w in reads.contains { w.overlaps($0, typePredicate: typePredicate) } }
                if negative { edges[a].append((b, true)) } else if positive { edges[a].append((b, false)) }
            }
        }
        let component = stronglyConnectedComponents(edges)
        for a in 0..<count {
            for (b, negative) in edges[a] where negative && component[a] == component[b] {
                let cycle = path(from: b, to: a, edges: edges, within: component) ?? [b, a]
                let ids = cycle.map { items[$0].id }
                throw RuleProgramError(ruleIDs: ids, message: "the rules cannot be stratified: negation in a cycle "
                    + (ids + [ids[0]]).joined(separator: " → ") + " (rule \(items[b].id) negates what \(items[a].id) derives, which depends on it)")
            }
        }
        // Longest path over the condensation, counting negative edges.
        var stratum = [Int](repeating: 0, count: count)
        var changed = true
        var passes = 0
        while changed && passes <= count + 1 {
            changed = false
            passes += 1
            for a in 0..<count {
                for (b, negative) in edges[a] {
                    let needed = stratum[a] + (negative ? 1 : 0)
                    if component[a] == component[b] && !negative { continue }
                    if stratum[b] < needed { stratum[b] = needed; changed = true }
                }
            }
            // Members of one component share the highest stratum among them.
            var componentStratum: [Int: Int] = [:]
            for a in 0..<count { componentStratum[component[a]] = max(componentStratum[component[a]] ?? 0, stratum[a]) }
            for a in 0..<count where stratum[a] != componentStratum[component[a]]! {
                stratum[a] = componentStratum[component[a]]!
                changed = true
            }
        }
        return stratum
    }

    /// Tarjan's algorithm (iterative); returns a component number per node.
    static func stronglyConnectedComponents(_ edges: [[(Int, Bool)]]) -> [Int] {
        let count = edges.count
        var index = [Int](repeating: -1, count: count), low = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count), stack: [Int] = []
        var component = [Int](repeating: -1, count: count)
        var nextIndex = 0, nextComponent = 0
        for root in 0..<count where index[root] == -1 {
            var work: [(node: Int, edge: Int)] = [(root, 0)]
            index[root] = nextIndex; low[root] = nextIndex; nextIndex += 1
            stack.append(root); onStack[root] = true
            while let (node, edge) = work.last {
                if edge < edges[node].count {
                    work[work.count - 1].edge += 1
                    let next = edges[node][edge].0
                    if index[next] == -1 {
                        index[next] = nextIndex; low[next] = nextIndex; nextIndex += 1
                        stack.append(next); onStack[next] = true
                        work.append((next, 0))
                    } else if onStack[next] {
                        low[node] = min(low[node], index[next])
                    }
                } else {
                    work.removeLast()
                    if let parent = work.last { low[parent.node] = min(low[parent.node], low[node]) }
                    if low[node] == index[node] {
                        while let top = stack.popLast() {
                            onStack[top] = false
                            component[top] = nextComponent
                            if top == node { break }
                        }
                        nextComponent += 1
                    }
                }
            }
        }
        return component
    }

    /// A shortest path `from` → `to` inside one component (breadth-first), for naming a cycle.
    static func path(from: Int, to: Int, edges: [[(Int, Bool)]], within component: [Int]) -> [Int]? {
        var previous: [Int: Int] = [from: from]
        var queue = [from], head = 0
        while head < queue.count {
            let node = queue[head]; head += 1
            if node == to {
                var result = [to]
                var current = to
                while current != from { current = previous[current]!; result.append(current) }
                return result.reversed()
            }
            for (next, _) in edges[node] where component[next] == component[from] && previous[next] == nil {
                previous[next] = node
                queue.append(next)
            }
        }
        return nil
    }
}
