import RDF

/// An interned term: an index into `TermDictionary.terms`.
typealias TermID = UInt32
/// A fact: an index into the `FactIndex` columns, in insertion order.
typealias FactID = Int32

/// Interns RDF terms to dense integer ids, so the engine joins on integers, never on strings.
final class TermDictionary {
    @exclusivity(unchecked) private(set) var terms: [Term] = []
    @exclusivity(unchecked) private var ids: [Term: TermID] = [:]
    private var numericCache: [TermID: NumericValue?] = [:]
    private var dataValueCache: [TermID: DataValue??] = [:]

    /// The id of `term`, adding it if new.
    func intern(_ term: Term) -> TermID {
        if let id = ids[term] { return id }
        let id = TermID(terms.count)
        terms.append(term)
        ids[term] = id
        return id
    }

    /// The id of `term` if it was ever interned.
    func id(_ term: Term) -> TermID? { ids[term] }

    /// The term with `id`.
    func term(_ id: TermID) -> Term { terms[Int(id)] }

    /// The data value of a literal term (`.some(nil)`: ill-typed; nil: not a literal of a supported datatype), computed once.
    func dataValue(_ id: TermID) -> DataValue?? {
        if let cached = dataValueCache[id] { return cached }
        var value: DataValue?? = nil
        if case .literal(let literal) = terms[Int(id)] { value = DataValue.of(literal) }
        dataValueCache[id] = value
        return value
    }

    /// The numeric value of a literal term, computed once.
    func numeric(_ id: TermID) -> NumericValue? {
        if let cached = numericCache[id] { return cached }
        var value: NumericValue?
        if case .literal(let literal) = terms[Int(id)] { value = NumericValue(literal) }
        numericCache[id] = value
        return value
    }
}

/// The engine's facts: three integer columns, an open-addressing hash table of fact ids for deduplication, and
/// posting lists by predicate, subject, object, (predicate, subject) and (predicate, object).
///
/// Posting lists hold fact ids in ascending order, so "facts known before round r" is a prefix of every list.
/// The hash table (linear probing, power-of-two size, at most half full) stores fact ids and compares the columns,
/// so a lookup costs one multiplicative hash and usually one probe; it is the engine's innermost operation
/// (every rule match looks its conclusion up).
///
/// Its columns and lists opt out of dynamic exclusivity checking (`@exclusivity(unchecked)`): the engine is
/// single-threaded and never holds an access across a mutation, and the checks cost a third of the run time.
final class FactIndex {
    @exclusivity(unchecked) private(set) var subjects: [TermID] = []
    @exclusivity(unchecked) private(set) var predicates: [TermID] = []
    @exclusivity(unchecked) private(set) var objects: [TermID] = []
    /// Fact ids by hash of (s, p, o); -1 marks an empty slot.
    @exclusivity(unchecked) private var slots = [FactID](repeating: -1, count: 1024)
    @exclusivity(unchecked) private var slotMask = 1023
    @exclusivity(unchecked) private(set) var byPredicate: [TermID: [FactID]] = [:]
    @exclusivity(unchecked) private(set) var bySubject: [TermID: [FactID]] = [:]
    @exclusivity(unchecked) private(set) var byObject: [TermID: [FactID]] = [:]
    @exclusivity(unchecked) private(set) var byPredicateSubject: [UInt64: [FactID]] = [:]
    @exclusivity(unchecked) private(set) var byPredicateObject: [UInt64: [FactID]] = [:]

    /// Number of facts.
    var count: Int { subjects.count }

    static func pair(_ a: TermID, _ b: TermID) -> UInt64 { UInt64(a) << 32 | UInt64(b) }

    /// The home slot of (s, p, o): a multiplicative mix of the three ids (Fibonacci hashing), high bits.
    @inline(__always)
    static func hash(_ s: TermID, _ p: TermID, _ o: TermID) -> Int {
        var h = UInt64(s) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(p) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= UInt64(o) &* 0x1656_67B1_9E37_79F9
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// The slot holding (s, p, o), or the empty slot where it would go (`found` false).
    @inline(__always)
    private func probe(_ s: TermID, _ p: TermID, _ o: TermID) -> (slot: Int, found: Bool) {
        var slot = FactIndex.hash(s, p, o) & slotMask
        return slots.withUnsafeBufferPointer { table in
            subjects.withUnsafeBufferPointer { subjectColumn in
                while true {
                    let id = table[slot]
                    if id < 0 { return (slot, false) }
                    let index = Int(id)
                    if subjectColumn[index] == s && predicates[index] == p && objects[index] == o { return (slot, true) }
                    slot = (slot + 1) & slotMask
                }
            }
        }
    }

    /// Doubles the hash table and re-inserts every fact.
    private func growTable() {
        let size = slots.count * 2
        slots = [FactID](repeating: -1, count: size)
        slotMask = size - 1
        slots.withUnsafeMutableBufferPointer { table in
            for index in 0..<subjects.count {
                var slot = FactIndex.hash(subjects[index], predicates[index], objects[index]) & slotMask
                while table[slot] >= 0 { slot = (slot + 1) & slotMask }
                table[slot] = FactID(index)
            }
        }
    }

    /// Adds a fact; returns its id and whether it was new.
    @discardableResult
    func insert(_ s: TermID, _ p: TermID, _ o: TermID) -> (id: FactID, isNew: Bool) {
        let (slot, found) = probe(s, p, o)
        if found { return (slots[slot], false) }
        let id = FactID(subjects.count)
        subjects.append(s)
        predicates.append(p)
        objects.append(o)
        slots[slot] = id
        if subjects.count * 2 > slots.count { growTable() }
        byPredicate[p, default: []].append(id)
        bySubject[s, default: []].append(id)
        byObject[o, default: []].append(id)
        byPredicateSubject[FactIndex.pair(p, s), default: []].append(id)
        byPredicateObject[FactIndex.pair(p, o), default: []].append(id)
        return (id, true)
    }

    /// The id of the fact (s, p, o), if present.
    func find(_ s: TermID, _ p: TermID, _ o: TermID) -> FactID? {
        let (slot, found) = probe(s, p, o)
        return found ? slots[slot] : nil
    }

    /// The posting list that best serves a pattern (nil = unbound), or nil meaning "every fact".
    func candidates(subject s: TermID?, predicate p: TermID?, object o: TermID?) -> [FactID]? {
        switch (s, p, o) {
        case (let s?, let p?, _): return byPredicateSubject[FactIndex.pair(p, s)] ?? []
        case (nil, let p?, let o?): return byPredicateObject[FactIndex.pair(p, o)] ?? []
        case (nil, let p?, nil): return byPredicate[p] ?? []
        case (let s?, nil, let o?):
            let bySubjectList = bySubject[s] ?? [], byObjectList = byObject[o] ?? []
            return bySubjectList.count <= byObjectList.count ? bySubjectList : byObjectList
        case (let s?, nil, nil): return bySubject[s] ?? []
        case (nil, nil, let o?): return byObject[o] ?? []
        case (nil, nil, nil): return nil
        }
    }

    /// Calls `body` with each fact id in `[from, to)` matching the pattern; stops early when `body` returns false.
    @inline(__always)
    func forEach(subject s: TermID?, predicate p: TermID?, object o: TermID?, from: Int, to: Int,
                 _ body: (FactID) throws -> Bool) rethrows {
        if let s, let p, let o {
            if let id = find(s, p, o), Int(id) >= from, Int(id) < to { _ = try body(id) }
            return
        }
        guard let list = candidates(subject: s, predicate: p, object: o) else {
            var id = from
            while id < to {
                if try !body(FactID(id)) { return }
                id += 1
            }
            return
        }
        var position = from == 0 ? 0 : FactIndex.lowerBound(list, FactID(from))
        while position < list.count {
            let id = list[position]
            if Int(id) >= to { return }
            if (s == nil || subjects[Int(id)] == s!) && (p == nil || predicates[Int(id)] == p!) && (o == nil || objects[Int(id)] == o!) {
                if try !body(id) { return }
            }
            position += 1
        }
    }

    /// First index in the ascending `list` whose value is ≥ `value`.
    static func lowerBound(_ list: [FactID], _ value: FactID) -> Int {
        var low = 0, high = list.count
        while low < high {
            let middle = (low + high) / 2
            if list[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// An estimate of how many facts match (the length of the posting list used).
    func estimate(subject s: TermID?, predicate p: TermID?, object o: TermID?) -> Int {
        if s != nil, p != nil, o != nil { return 1 }
        return candidates(subject: s, predicate: p, object: o)?.count ?? count
    }
}
