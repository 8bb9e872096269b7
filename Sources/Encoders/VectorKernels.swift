import Tensor

/// Vectorised element-wise kernels of the BERT forward pass, on raw Float32 rows (SIMD8 lanes, scalar tails).
///
/// Accuracy: `exp` is Cephes' `expf` polynomial (≤ 2 ulp on [-87, 88], exactly 0 below -88.37);
/// GELU's erf is Tensor's rational approximation (absolute error < 5e-7), so GELU(x) is within 3e-7·|x| of the
/// exact value.
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
        // Clamp to [-88.376, 88.376] (written with masks: `clamped` is not inlined).
        let lower = Lanes(repeating: -88.3762626647949)
        let upper = Lanes(repeating: 88.3762626647950)
        var x = input.replacing(with: lower, where: input .< lower)
        x.replace(with: upper, where: x .> upper)
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

    /// Scalar e^x with the same polynomial (for tails).
    @inline(__always)
    static func exp(_ x: Float) -> Float { exp(Lanes(repeating: x))[0] }

    /// GELU with erf, in place: v ← v/2 · (1 + erf(v/√2)) over `count` values (Tensor's vectorised kernel, erf by
    /// the rational approximation of Eigen and XLA, absolute error < 5e-7).
    static func gelu(_ values: UnsafeMutablePointer<Float>, count: Int) {
        Tensor.gelu(values, into: values, count: count)
    }

    /// matrix[r, c] = bias[r] (+ residual[r, c]) for a [rows, columns] row-major matrix: the starting value of
    /// a feature-major gemm with beta = 1 that then adds W·xᵀ.
    static func fillColumns(
        _ matrix: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>,
        plus residual: UnsafePointer<Float>? = nil
    ) {
        for row in 0..<rows {
            let line = matrix + row * columns
            let value = bias[row]
            if let residual {
                let source = residual + row * columns
                var column = 0
                let broadcast = Lanes(repeating: value)
                while column + 8 <= columns {
                    store(load(source + column) + broadcast, line + column)
                    column += 8
                }
                while column < columns {
                    line[column] = source[column] + value
                    column += 1
                }
            } else {
                line.update(repeating: value, count: columns)
            }
        }
    }

    /// target[c, r] = source[r, c]: [rows, columns] row-major into [columns, rows] row-major, in 16×16 tiles.
    static func transpose(
        _ source: UnsafePointer<Float>, rows: Int, columns: Int, into target: UnsafeMutablePointer<Float>
    ) {
        let tile = 16
        var rowStart = 0
        while rowStart < rows {
            let rowEnd = min(rows, rowStart + tile)
            var columnStart = 0
            while columnStart < columns {
                let columnEnd = min(columns, columnStart + tile)
                for row in rowStart..<rowEnd {
                    for column in columnStart..<columnEnd {
                        target[column * rows + row] = source[row * columns + column]
                    }
                }
                columnStart = columnEnd
            }
            rowStart = rowEnd
        }
    }

    /// LayerNorm of every column of a feature-major [rows = H, columns = T] matrix (one token per column):
    /// output[h, t] = (input[h, t] - μ_t) / sqrt(σ²_t + ε) · gamma[h] + beta[h], μ and σ² (biased) over h.
    /// `mean` and `inverseDeviation` are [T] scratch; `output` may equal `input`.
    static func layerNormColumns(
        _ input: UnsafePointer<Float>, rows: Int, columns: Int, output: UnsafeMutablePointer<Float>,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float,
        mean: UnsafeMutablePointer<Float>, inverseDeviation: UnsafeMutablePointer<Float>
    ) {
        let fullChunks = columns / 8 * 8
        mean.update(repeating: 0, count: columns)
        inverseDeviation.update(repeating: 0, count: columns)
        for row in 0..<rows {
            let line = input + row * columns
            var column = 0
            while column < fullChunks {
                store(load(mean + column) + load(line + column), mean + column)
                column += 8
            }
            while column < columns {
                mean[column] += line[column]
                column += 1
            }
        }
        let inverseRows = 1 / Float(rows)
        for column in 0..<columns { mean[column] *= inverseRows }
        for row in 0..<rows {
            let line = input + row * columns
            var column = 0
            while column < fullChunks {
                let centred = load(line + column) - load(mean + column)
                store(load(inverseDeviation + column) + centred * centred, inverseDeviation + column)
                column += 8
            }
            while column < columns {
                let centred = line[column] - mean[column]
                inverseDeviation[column] += centred * centred
                column += 1
            }
        }
        for column in 0..<columns {
            inverseDeviation[column] = 1 / (inverseDeviation[column] * inverseRows + epsilon).squareRoot()
        }
        for row in 0..<rows {
            let line = input + row * columns
            let target = output + row * columns
            let scale = gamma[row]
            let shift = beta[row]
            var column = 0
            while column < fullChunks {
                let normalised = (load(line + column) - load(mean + column)) * load(inverseDeviation + column)
                store(normalised * scale + shift, target + column)
                column += 8
            }
            while column < columns {
                target[column] = (line[column] - mean[column]) * inverseDeviation[column] * scale + shift
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
