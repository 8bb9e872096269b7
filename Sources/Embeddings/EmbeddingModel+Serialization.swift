extension EmbeddingModel {
    /// `values` as little-endian IEEE-754 Float32 bytes, 4 per float (the layout of the store's vector BLOBs).
    public static func littleEndianBytes(of values: [Float]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 4)
        for value in values {
            let bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// Floats decoded from little-endian Float32 bytes.
    ///
    /// - Throws: `EmbeddingModelError` if the byte count is not a multiple of 4.
    public static func floats(fromLittleEndian bytes: [UInt8]) throws -> [Float] {
        guard bytes.count % 4 == 0 else {
            throw EmbeddingModelError(message: "\(bytes.count) bytes is not a whole number of Float32 values")
        }
        var values = [Float]()
        values.reserveCapacity(bytes.count / 4)
        var offset = 0
        while offset < bytes.count {
            let bits = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
                | UInt32(bytes[offset + 3]) << 24
            values.append(Float(bitPattern: bits))
            offset += 4
        }
        return values
    }

    /// The entity table as little-endian Float32 bytes, [entities, entityWidth] row-major.
    public var entityVectorBytes: [UInt8] { Self.littleEndianBytes(of: entityVectors) }

    /// The relation table as little-endian Float32 bytes, [relations, relationWidth] row-major.
    public var relationVectorBytes: [UInt8] { Self.littleEndianBytes(of: relationVectors) }

    /// A model rebuilt from its config, names and the two byte tables written by `entityVectorBytes` and
    /// `relationVectorBytes`.
    ///
    /// - Throws: `EmbeddingModelError` if a byte table's size does not match names × width.
    public init(
        config: EmbeddingConfig, entityNames: [String], relationNames: [String],
        entityVectorBytes: [UInt8], relationVectorBytes: [UInt8]
    ) throws {
        try self.init(
            config: config, entityNames: entityNames, relationNames: relationNames,
            entityVectors: Self.floats(fromLittleEndian: entityVectorBytes),
            relationVectors: Self.floats(fromLittleEndian: relationVectorBytes))
    }
}
