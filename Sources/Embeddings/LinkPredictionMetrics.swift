/// Filtered link-prediction figures over a set of ranks (each test triple contributes a head rank and a tail rank).
public struct LinkPredictionMetrics: Codable, Sendable, Equatable {
    /// Mean of 1/rank over both sides.
    public var meanReciprocalRank: Double
    /// Mean rank over both sides.
    public var meanRank: Double
    /// Fraction of ranks ≤ 1.
    public var hitsAt1: Double
    /// Fraction of ranks ≤ 3.
    public var hitsAt3: Double
    /// Fraction of ranks ≤ 10.
    public var hitsAt10: Double
    /// Number of ranks averaged (2 × triples when both sides are ranked).
    public var rankCount: Int

    /// The figures of a list of (realistic, possibly fractional) ranks, each ≥ 1. Empty input gives zeros.
    public init(ranks: [Double]) {
        rankCount = ranks.count
        guard !ranks.isEmpty else {
            meanReciprocalRank = 0; meanRank = 0; hitsAt1 = 0; hitsAt3 = 0; hitsAt10 = 0
            return
        }
        let count = Double(ranks.count)
        meanReciprocalRank = ranks.reduce(0) { $0 + 1 / $1 } / count
        meanRank = ranks.reduce(0, +) / count
        hitsAt1 = Double(ranks.filter { $0 <= 1 }.count) / count
        hitsAt3 = Double(ranks.filter { $0 <= 3 }.count) / count
        hitsAt10 = Double(ranks.filter { $0 <= 10 }.count) / count
    }

    /// The realistic rank of candidate `target` among `scores` (higher is better), ignoring the candidates in
    /// `excluded` (the filtered true answers; `target` itself is never excluded):
    /// rank = 1 + #{better} + #{equal}/2, the mean of the optimistic and pessimistic ranks (PyKEEN's realistic rank).
    /// A NaN target score gets the worst rank, the number of candidates left.
    public static func realisticRank(of target: Int, scores: [Float], excluding excluded: Set<Int> = []) -> Double {
        precondition(scores.indices.contains(target), "target \(target) outside scores[0..<\(scores.count)]")
        let targetScore = scores[target]
        var better = 0, equal = 0, candidates = 1
        for (index, score) in scores.enumerated() where index != target && !excluded.contains(index) {
            candidates += 1
            if score > targetScore { better += 1 } else if score == targetScore { equal += 1 }
        }
        if targetScore.isNaN { return Double(candidates) }
        return 1 + Double(better) + Double(equal) / 2
    }
}

extension LinkPredictionMetrics: CustomStringConvertible {
    /// `MRR 0.846  MR 1.9  H@1 0.712  H@3 0.970  H@10 0.996  (1322 ranks)`.
    public var description: String {
        func format(_ value: Double) -> String {
            let scaled = (value * 1000).rounded() / 1000
            return String(scaled)
        }
        return "MRR \(format(meanReciprocalRank))  MR \(format(meanRank))  H@1 \(format(hitsAt1))  "
            + "H@3 \(format(hitsAt3))  H@10 \(format(hitsAt10))  (\(rankCount) ranks)"
    }
}
