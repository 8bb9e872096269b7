import KnowledgeStore
import Testing

@Suite("Triple radix sort")
struct TripleRadixSortTests {
    /// A SplitMix64 stream, so the keys are the same on every run.
    private struct Stream {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// A term-id-like value: 63 bits, never 0.
        mutating func id() -> Int64 { Int64(bitPattern: next() & 0x7FFF_FFFF_FFFF_FFFF) | 1 }
    }

    private func standardSorted(_ keys: [SIMD3<Int64>]) -> [SIMD3<Int64>] {
        keys.sorted { ($0.x, $0.y, $0.z) < ($1.x, $1.y, $1.z) }
    }

    @Test("hashed ids, repeated components and duplicates sort exactly as the standard library's comparison sort")
    func agreesWithComparisonSort() {
        var stream = Stream(state: 42)
        // Like a POS run: few predicates, objects shared by many subjects, and exact duplicates.
        let predicates = (0..<7).map { _ in stream.id() }
        let objects = (0..<300).map { _ in stream.id() }
        var keys: [SIMD3<Int64>] = []
        for index in 0..<50_000 {
            let key = SIMD3(predicates[Int(stream.next() % 7)], objects[Int(stream.next() % 300)], stream.id())
            keys.append(key)
            if index % 10 == 0 { keys.append(key) }
        }
        // Small values (many shared leading zero bytes) and keys equal but for the last byte.
        for value in 0..<2_000 { keys.append(SIMD3(Int64(value % 3), 5, Int64(2_000 - value))) }
        let expected = standardSorted(keys)
        var sorted = keys
        TripleRadixSort.sort(&sorted)
        #expect(sorted == expected)
        #expect(sorted != keys)  // the input was not sorted to begin with
    }

    @Test("tiny inputs and negative components (comparison fallback) are sorted too")
    func edgeCases() {
        for keys in [[], [SIMD3<Int64>(1, 2, 3)], [SIMD3(3, 2, 1), SIMD3(1, 2, 3)], [SIMD3(-5, 0, 0), SIMD3(7, 0, 0), SIMD3(-9, 1, 1)]] {
            var sorted = keys
            TripleRadixSort.sort(&sorted)
            #expect(sorted == standardSorted(keys))
        }
    }
}
