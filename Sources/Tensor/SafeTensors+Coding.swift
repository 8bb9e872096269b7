/// Conversions between safetensors' little-endian element encodings and Swift values.
///
/// Half precision (IEEE 754 binary16: 1 sign, 5 exponent, 10 fraction bits) and bfloat16 (the top 16 bits of a
/// binary32) are converted bit by bit, so the code does not depend on a platform `Float16` type. Encoding rounds to
/// nearest, ties to even, and keeps infinities and NaN.
public enum SafeTensorsCoding {
    /// Float32 values from little-endian binary32 bytes (`raw.count / 4` values).
    public static func decodeFloat32(_ raw: UnsafeRawBufferPointer) -> [Float] {
        let count = raw.count / 4
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 {
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<count * 4]))
            }
            #if _endian(big)
            for index in 0..<count { buffer[index] = Float(bitPattern: UInt32(littleEndian: buffer[index].bitPattern)) }
            #endif
            initialized = count
        }
    }

    /// Float64 values from little-endian binary64 bytes.
    public static func decodeFloat64(_ raw: UnsafeRawBufferPointer) -> [Double] {
        (0..<raw.count / 8).map {
            Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)))
        }
    }

    /// Float32 values from little-endian binary16 bytes.
    public static func decodeFloat16(_ raw: UnsafeRawBufferPointer) -> [Float] {
        (0..<raw.count / 2).map {
            floatFromHalfBits(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)))
        }
    }

    /// Float32 values from little-endian bfloat16 bytes.
    public static func decodeBFloat16(_ raw: UnsafeRawBufferPointer) -> [Float] {
        (0..<raw.count / 2).map {
            let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))
            return Float(bitPattern: UInt32(bits) << 16)
        }
    }

    /// Fixed-width integers from little-endian bytes.
    public static func decodeIntegers<Integer: FixedWidthInteger>(
        _ raw: UnsafeRawBufferPointer, as type: Integer.Type
    ) -> [Integer] {
        let size = MemoryLayout<Integer>.size
        return (0..<raw.count / size).map {
            Integer(littleEndian: raw.loadUnaligned(fromByteOffset: size * $0, as: Integer.self))
        }
    }

    /// The binary32 value of binary16 bits (exact: every half value is a float value).
    public static func floatFromHalfBits(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let fraction = UInt32(bits) & 0x3FF
        if exponent == 0x1F {
            // Infinity or NaN: keep the payload in the top fraction bits.
            return Float(bitPattern: sign | 0x7F80_0000 | (fraction << 13))
        }
        if exponent == 0 {
            // Zero or subnormal: value = fraction × 2^-24.
            let magnitude = Float(fraction) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (fraction << 13))
    }

    /// The binary16 bits nearest to `value` (round to nearest, ties to even; overflow gives infinity).
    public static func halfBits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        let fraction = bits & 0x7F_FFFF
        if exponent == 0xFF {
            // Infinity stays infinity; NaN stays a quiet NaN.
            return sign | 0x7C00 | (fraction != 0 ? 0x200 | UInt16(truncatingIfNeeded: fraction >> 13) : 0)
        }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 0x1F {
            return sign | 0x7C00
        }
        if halfExponent <= 0 {
            // Subnormal half (or zero): shift the implicit-one mantissa right and round.
            if halfExponent < -10 { return sign }
            let mantissa = fraction | 0x80_0000
            let shift = UInt32(14 - halfExponent)
            var result = mantissa >> shift
            let remainder = mantissa & ((1 << shift) - 1)
            let halfway = UInt32(1) << (shift - 1)
            if remainder > halfway || (remainder == halfway && (result & 1) == 1) { result += 1 }
            return sign | UInt16(result)
        }
        var result = UInt32(halfExponent) << 10 | (fraction >> 13)
        let remainder = fraction & 0x1FFF
        if remainder > 0x1000 || (remainder == 0x1000 && (result & 1) == 1) {
            result += 1  // a carry into the exponent is correct, up to infinity
        }
        return sign | UInt16(result)
    }

    /// The bfloat16 bits nearest to `value` (round to nearest, ties to even; NaN stays NaN).
    public static func bfloat16Bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(bits >> 16) | 0x40 }
        let rounding = 0x7FFF + ((bits >> 16) & 1)
        return UInt16((bits &+ rounding) >> 16)
    }
}
