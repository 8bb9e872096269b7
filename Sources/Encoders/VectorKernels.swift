/// Vectorised element-wise kernels of the BERT forward pass, on raw Float32 rows (SIMD8 lanes, scalar tails).
///
/// Accuracy: `exp` is Cephes' `expf` polynomial (≤ 2 ulp on [-87, 88], exactly 0 below -88.37);
/// `erf` is Abramowitz & Stegun 7.1.26 (absolute error ≤ 1.5e-7), so GELU(x) is within 1e-7·|x| of the exact
/// value.
enum VectorKernels {
    typealias Lanes = SIMD8<Float>

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
    }

    @inline(__always)
    static func store(_ value: Lanes, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Lanes.self)
    }

    /// e^x per lane: x = n·ln2 + r with n = round(x·log2 e), e^r by a degree-6 polynomial, times 2^n.
    @inline(__always)
    static func exp(_ input: Lanes) -> Lanes {
        let x = input.clamped(lowerBound: Lanes(repeating: -88.3762626647949), upperBound: Lanes(repeating: 88.3762626647950))
        // Round x·log2(e) to nearest by the 1.5·2^23 trick; the low mantissa bits then hold n.
        let shifter = Lanes(repeating: 12582912.0)
        let shifted = x * 1.44269504088896341 + shifter
        let n = shifted - shifter
        var r = x - n * 0.693359375
        r = r - n * -2.12194440e-4
        var p = Lanes(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * (r * r) + r + 1
        let shiftedBits = unsafeBitCast(shifted, to: SIMD8<Int32>.self)
        // n = bits - 0x4B400000; the exponent field of 2^n is n + 127 (0 when n = -127, giving 0).
        let exponent = (shiftedBits &- 0x4B40_0000 &+ 127) &<< 23
        let scale = unsafeBitCast(exponent, to: Lanes.self)
        return p * scale
    }

    /// erf(x) per lane (Abramowitz & Stegun 7.1.26): 1 - t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e^{-x²},
    /// t = 1 / (1 + p·|x|), sign restored.
    @inline(__always)
    static func erf(_ x: Lanes) -> Lanes {
        let magnitude = x.replacing(with: -x, where: x .< 0)
        let t = 1 / (1 + 0.3275911 * magnitude)
        var polynomial = Lanes(repeating: 1.061405429)
        polynomial = polynomial * t - 1.453152027
        polynomial = polynomial * t + 1.421413741
        polynomial = polynomial * t - 0.284496736
        polynomial = polynomial * t + 0.254829592
        polynomial = polynomial * t
        let value = 1 - polynomial * exp(-(magnitude * magnitude))
        return value.replacing(with: -value, where: x .< 0)
    }

    /// Scalar e^x with the same polynomial (for tails).
    @inline(__always)
    static func exp(_ x: Float) -> Float { exp(Lanes(repeating: x))[0] }

    /// Scalar erf with the same polynomial (for tails).
    @inline(__always)
    static func erf(_ x: Float) -> Float { erf(Lanes(repeating: x))[0] }

    /// GELU with erf, in place, after adding a bias per column:
    /// row[j] ← g(row[j] + bias[j]), g(x) = x/2 · (1 + erf(x/√2)), for `rows` rows of `columns` at stride `columns`.
    static func addBiasGELU(
        _ matrix: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>
    ) {
        let inverseSquareRootTwo: Float = 0.70710678118654752
        for row in 0..<rows {
            let line = matrix + row * columns
            var column = 0
            while column + 8 <= columns {
                let x = load(line + column) + load(bias + column)
                store(0.5 * x * (1 + erf(x * inverseSquareRootTwo)), line + column)
                column += 8
            }
            while column < columns {
                let x = line[column] + bias[column]
                line[column] = 0.5 * x * (1 + erf(x * inverseSquareRootTwo))
                column += 1
            }
        }
    }

    /// Residual, bias and LayerNorm: for each row, v = input + bias + residual, then
    /// output = (v - mean(v)) / sqrt(var(v) + epsilon) · gamma + beta (biased variance, as PyTorch).
    /// `output` may be `residual`. All matrices are [rows, columns] with stride `columns`.
    static func addBiasResidualLayerNorm(
        input: UnsafePointer<Float>, bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?,
        output: UnsafeMutablePointer<Float>, rows: Int, columns: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float
    ) {
        precondition(columns % 8 == 0, "LayerNorm kernel needs a width divisible by 8")
        for row in 0..<rows {
            let source = input + row * columns
            let target = output + row * columns
            var sum = Lanes()
            var column = 0
            while column < columns {
                var v = load(source + column)
                if let bias { v += load(bias + column) }
                if let residual { v += load(residual + row * columns + column) }
                store(v, target + column)
                sum += v
                column += 8
            }
            let mean = sum.sum() / Float(columns)
            var squares = Lanes()
            column = 0
            while column < columns {
                let centred = load(target + column) - mean
                squares += centred * centred
                column += 8
            }
            let variance = squares.sum() / Float(columns)
            let inverseDeviation = 1 / (variance + epsilon).squareRoot()
            column = 0
            while column < columns {
                let normalised = (load(target + column) - mean) * inverseDeviation
                store(normalised * load(gamma + column) + load(beta + column), target + column)
                column += 8
            }
        }
    }

    /// Row softmax in place over `count` values: p_j = e^{x_j - max x} / Σ_k e^{x_k - max x}.
    static func softmax(_ row: UnsafeMutablePointer<Float>, count: Int) {
        var maximum = -Float.infinity
        for index in 0..<count where row[index] > maximum { maximum = row[index] }
        var total: Float = 0
        var index = 0
        var sums = Lanes()
        while index + 8 <= count {
            let e = exp(load(row + index) - maximum)
            store(e, row + index)
            sums += e
            index += 8
        }
        total = sums.sum()
        while index < count {
            let e = exp(row[index] - maximum)
            row[index] = e
            total += e
            index += 1
        }
        let inverse = 1 / total
        index = 0
        while index + 8 <= count {
            store(load(row + index) * inverse, row + index)
            index += 8
        }
        while index < count {
            row[index] *= inverse
            index += 1
        }
    }
}
