/// Triples of store term ids as bytes: 24 per triple, subject, predicate and object as little-endian Int64.
///
/// One layout for every place that stores id triples as a BLOB: the quad blocks (`QuadBlocks`, in each index
/// order's component order) and the audit log's premises and conclusions (`AuditEncoding`).
enum TripleBytes {
    /// Bytes per triple.
    static let stride = 24

    /// Appends one triple (a, b, c).
    @inline(__always)
    static func append(_ a: Int64, _ b: Int64, _ c: Int64, to bytes: inout [UInt8]) {
        // One 24-byte append (a tuple of three Int64 is laid out contiguously).
        withUnsafeBytes(of: (a.littleEndian, b.littleEndian, c.littleEndian)) { bytes.append(contentsOf: $0) }
    }

    /// Triple `index` of the bytes at `base`, read in place.
    @inline(__always)
    static func triple(at index: Int, in base: UnsafeRawPointer) -> SIMD3<Int64> {
        let offset = index * stride
        return SIMD3(Int64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: Int64.self)),
                     Int64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 8, as: Int64.self)),
                     Int64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 16, as: Int64.self)))
    }

    /// Every triple of `bytes` (whose length must be a multiple of 24).
    static func triples(_ bytes: UnsafeRawBufferPointer) -> [SIMD3<Int64>] {
        guard let base = bytes.baseAddress else { return [] }
        return (0..<bytes.count / stride).map { triple(at: $0, in: base) }
    }
}
