extension TripleDataset {
    /// The probability of corrupting (replacing) the head rather than the tail of a training triple, per relation.
    ///
    /// Uniform: ½ for every relation. Bernoulli (Wang et al. 2014): tph / (tph + hpt), where for relation r over the
    /// distinct (h, t) pairs of train, tph = pairs / distinct heads and hpt = pairs / distinct tails; a relation with
    /// no training triple gets ½. Replacing the head of a one-to-many relation is less likely to create a false
    /// negative, so it is chosen more often.
    public func headCorruptionProbabilities(scheme: CorruptionScheme) -> [Float] {
        guard scheme == .bernoulli else { return [Float](repeating: 0.5, count: relations.count) }
        var pairs = [Set<Int64>](repeating: [], count: relations.count)
        var heads = [Set<Int32>](repeating: [], count: relations.count)
        var tails = [Set<Int32>](repeating: [], count: relations.count)
        for triple in train {
            let r = Int(triple.relation)
            pairs[r].insert(Int64(triple.head) << 32 | Int64(triple.tail))
            heads[r].insert(triple.head)
            tails[r].insert(triple.tail)
        }
        return (0..<relations.count).map { r in
            guard !heads[r].isEmpty else { return 0.5 }
            let count = Float(pairs[r].count)
            let tailsPerHead = count / Float(heads[r].count), headsPerTail = count / Float(tails[r].count)
            return tailsPerHead / (tailsPerHead + headsPerTail)
        }
    }
}
