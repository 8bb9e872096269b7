extension TripleDataset {
    /// Builds a dataset from named triples with a seeded random split into train, valid and test.
    ///
    /// Duplicate triples are removed (first occurrence kept). The distinct triples are shuffled with `seed`;
    /// the first `testFraction` go to test, the next `validationFraction` to valid, the rest to train. A valid or
    /// test triple whose head, relation or tail never occurs in train is moved back to train, since nothing could be
    /// learnt about it. Same triples and seed → same split.
    ///
    /// - Throws: `TripleDatasetError` if there are no triples, a name is empty, or the fractions are out of range.
    public init(
        triples: [(head: String, relation: String, tail: String)],
        validationFraction: Double = 0.1, testFraction: Double = 0.1, seed: UInt64 = 0
    ) throws {
        guard validationFraction >= 0, testFraction >= 0, validationFraction + testFraction < 1 else {
            throw TripleDatasetError(
                file: nil, line: 0,
                message: "validation and test fractions must be ≥ 0 and sum to less than 1 "
                    + "(got \(validationFraction) and \(testFraction))")
        }
        var seen = Set<[String]>()
        var distinct: [(head: String, relation: String, tail: String)] = []
        for (position, triple) in triples.enumerated() {
            if triple.head.isEmpty || triple.relation.isEmpty || triple.tail.isEmpty {
                throw TripleDatasetError(file: nil, line: position + 1, message: "triple \(position + 1) has an empty name")
            }
            if seen.insert([triple.head, triple.relation, triple.tail]).inserted { distinct.append(triple) }
        }
        guard !distinct.isEmpty else {
            throw TripleDatasetError(file: nil, line: 0, message: "no triples given")
        }
        var generator = SplitMix64(mixing: seed, 0x5EED_5B17)
        var order = Array(distinct.indices)
        for position in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(position, generator.nextIndex(below: position + 1))
        }
        let testCount = Int((Double(distinct.count) * testFraction).rounded(.down))
        let validCount = Int((Double(distinct.count) * validationFraction).rounded(.down))
        let testPositions = order[0..<testCount]
        let validPositions = order[testCount..<(testCount + validCount)]
        let trainPositions = order[(testCount + validCount)...]

        // Which names occur in the training part decides where held-out triples may stay.
        var trainEntities = Set<String>(), trainRelations = Set<String>()
        for position in trainPositions {
            trainEntities.insert(distinct[position].head)
            trainEntities.insert(distinct[position].tail)
            trainRelations.insert(distinct[position].relation)
        }
        func isCovered(_ triple: (head: String, relation: String, tail: String)) -> Bool {
            trainEntities.contains(triple.head) && trainEntities.contains(triple.tail)
                && trainRelations.contains(triple.relation)
        }
        var trainOrder = Array(trainPositions)
        let keptTest = testPositions.filter { isCovered(distinct[$0]) }
        let keptValid = validPositions.filter { isCovered(distinct[$0]) }
        trainOrder += testPositions.filter { !isCovered(distinct[$0]) }
        trainOrder += validPositions.filter { !isCovered(distinct[$0]) }
        trainOrder.sort()

        self.init()
        train = trainOrder.map { intern(head: distinct[$0].head, relation: distinct[$0].relation, tail: distinct[$0].tail) }
        valid = keptValid.sorted().map {
            intern(head: distinct[$0].head, relation: distinct[$0].relation, tail: distinct[$0].tail)
        }
        test = keptTest.sorted().map {
            intern(head: distinct[$0].head, relation: distinct[$0].relation, tail: distinct[$0].tail)
        }
    }
}
