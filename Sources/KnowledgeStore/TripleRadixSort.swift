/// Sorts keys of three non-negative Int64 lexicographically: a most-significant-digit radix sort on bytes.
///
/// The store's term ids are hashes, so their leading bytes are spread evenly: two byte passes leave buckets of a
/// few keys, which insertion sort finishes. Where a component repeats (the predicate of a POS run), a byte that
/// every key of a bucket shares is skipped without moving anything.
public enum TripleRadixSort {
    /// Buckets of at most this many keys are finished by insertion sort.
    static let insertionThreshold = 24

    /// Sorts `keys` in place by (x, y, z). Term ids are ≥ 0; keys with a negative component are sorted by comparison.
    public static func sort(_ keys: inout [SIMD3<Int64>]) {
        let count = keys.count
        guard count > 1 else { return }
        if keys.contains(where: { $0.x < 0 || $0.y < 0 || $0.z < 0 }) {
            keys.sort(by: precedes)
            return
        }
        let scratch = UnsafeMutableBufferPointer<SIMD3<Int64>>.allocate(capacity: count)
        defer { scratch.deallocate() }
        keys.withUnsafeMutableBufferPointer { buffer in
            var counts = [Int](repeating: 0, count: 256)
            sortRange(buffer, scratch, low: 0, high: count, digit: 0, counts: &counts)
        }
    }

    /// Byte `digit` (0 … 23) of a key: byte 0 is the most significant byte of x, byte 23 the least of z.
    @inline(__always)
    private static func byte(_ key: SIMD3<Int64>, _ digit: Int) -> Int {
        let word = UInt64(bitPattern: key[digit >> 3])
        return Int(truncatingIfNeeded: word >> UInt64(56 - 8 * (digit & 7))) & 255
    }

    @inline(__always)
    private static func precedes(_ left: SIMD3<Int64>, _ right: SIMD3<Int64>) -> Bool {
        if left.x != right.x { return left.x < right.x }
        if left.y != right.y { return left.y < right.y }
        return left.z < right.z
    }

    /// Sorts `keys[low..<high]`, whose keys share their first `digit` bytes. `counts` is scratch for histograms.
    private static func sortRange(_ keys: UnsafeMutableBufferPointer<SIMD3<Int64>>, _ scratch: UnsafeMutableBufferPointer<SIMD3<Int64>>,
                                  low: Int, high: Int, digit startDigit: Int, counts: inout [Int]) {
        var digit = startDigit
        let count = high - low
        if count <= insertionThreshold {
            insertionSort(keys, low: low, high: high)
            return
        }
        while digit < 24 {
            for index in 0..<256 { counts[index] = 0 }
            for index in low..<high { counts[byte(keys[index], digit)] += 1 }
            // A byte every key shares orders nothing: go to the next one without moving keys.
            if counts[byte(keys[low], digit)] == count { digit += 1; continue }
            var starts = [Int](repeating: 0, count: 257)
            starts[0] = low
            for index in 0..<256 { starts[index + 1] = starts[index] + counts[index] }
            var next = Array(starts[0..<256])
            for index in low..<high {
                let bucket = byte(keys[index], digit)
                scratch[next[bucket]] = keys[index]
                next[bucket] += 1
            }
            UnsafeMutableRawPointer(keys.baseAddress! + low)
                .copyMemory(from: scratch.baseAddress! + low, byteCount: count * MemoryLayout<SIMD3<Int64>>.stride)
            guard digit + 1 < 24 else { return }
            for bucket in 0..<256 where starts[bucket + 1] - starts[bucket] > 1 {
                sortRange(keys, scratch, low: starts[bucket], high: starts[bucket + 1], digit: digit + 1, counts: &counts)
            }
            return
        }
    }

    private static func insertionSort(_ keys: UnsafeMutableBufferPointer<SIMD3<Int64>>, low: Int, high: Int) {
        guard high - low > 1 else { return }
        for index in (low + 1)..<high {
            let key = keys[index]
            var position = index
            while position > low && precedes(key, keys[position - 1]) {
                keys[position] = keys[position - 1]
                position -= 1
            }
            keys[position] = key
        }
    }
}
