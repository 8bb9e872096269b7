import Foundation
import Testing
import TensorTestSupport
import Tensor

/// conv1d, patches, groupNorm and weightNormalized: forward values against direct loops in Double,
/// and central-difference gradient checks.
@Suite("Convolution operations")
struct ConvolutionTests {
    init() { BLAS.setThreadCount(1) }

    let checker = GradientCheck()

    /// (channels in, channels out, kernel, stride, padding, groups, length).
    static let convolutionCases: [(Int, Int, Int, Int, Int, Int, Int)] = [
        (1, 3, 4, 2, 0, 1, 13), (4, 6, 3, 1, 1, 2, 7), (4, 4, 4, 1, 2, 4, 6), (2, 2, 1, 1, 0, 1, 5), (3, 2, 3, 3, 0, 1, 11),
    ]

    /// y[b, o, t] = bias[o] + Σ W[o, c, k]·x[b, g·C_g + c, t·s + k − p], in Double.
    static func directConvolution(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, stride: Int, padding: Int, groups: Int) -> [Double] {
        let (batch, inputChannels, length) = (x.shape[0], x.shape[1], x.shape[2])
        let (outputChannels, groupInputChannels, kernel) = (w.shape[0], w.shape[1], w.shape[2])
        let outputLength = (length + 2 * padding - kernel) / stride + 1
        let groupOutputChannels = outputChannels / groups
        var y = [Double](repeating: 0, count: batch * outputChannels * outputLength)
        for b in 0..<batch {
            for o in 0..<outputChannels {
                let g = o / groupOutputChannels
                for t in 0..<outputLength {
                    var total = Double(bias?.values[o] ?? 0)
                    for c in 0..<groupInputChannels {
                        for k in 0..<kernel {
                            let position = t * stride + k - padding
                            guard position >= 0 && position < length else { continue }
                            total += Double(w.values[(o * groupInputChannels + c) * kernel + k])
                                * Double(x.values[(b * inputChannels + g * groupInputChannels + c) * length + position])
                        }
                    }
                    y[(b * outputChannels + o) * outputLength + t] = total
                }
            }
        }
        return y
    }

    @Test("conv1d equals the direct sum, for strides, paddings and groups", arguments: convolutionCases)
    func convolutionValues(setting: (Int, Int, Int, Int, Int, Int, Int)) {
        let (inputChannels, outputChannels, kernel, stride, padding, groups, length) = setting
        let x = randomTensor([2, inputChannels, length], seed: 11)
        let w = randomTensor([outputChannels, inputChannels / groups, kernel], seed: 12)
        let bias = randomTensor([outputChannels], seed: 13)
        for withBias in [false, true] {
            let y = x.conv1d(weight: w, bias: withBias ? bias : nil, stride: stride, padding: padding, groups: groups)
            let expected = Self.directConvolution(x, w, withBias ? bias : nil, stride: stride, padding: padding, groups: groups)
            #expect(y.shape == [2, outputChannels, (length + 2 * padding - kernel) / stride + 1])
            #expect(y.count == expected.count)
            let worst = zip(y.values, expected).map { abs(Double($0) - $1) }.max() ?? 0
            #expect(worst < 1e-5, "largest difference \(worst)")
        }
    }

    @Test("conv1d gradients for input, weight and bias", arguments: convolutionCases)
    func convolutionGradients(setting: (Int, Int, Int, Int, Int, Int, Int)) {
        let (inputChannels, outputChannels, kernel, stride, padding, groups, length) = setting
        let x = randomTensor([2, inputChannels, length], seed: 21)
        let w = randomTensor([outputChannels, inputChannels / groups, kernel], seed: 22)
        let bias = randomTensor([outputChannels], seed: 23)
        checker.check([x, w, bias]) { x.conv1d(weight: w, bias: bias, stride: stride, padding: padding, groups: groups) }
    }

    @Test("patches: channel-major p×p blocks in row-major order; patches·W equals a stride-p Conv2d")
    func patchValues() {
        let (batch, channels, height, width, size) = (2, 3, 6, 4, 2)
        let x = randomTensor([batch, channels, height, width], seed: 31)
        let y = x.patches(size: size)
        let columns = width / size
        #expect(y.shape == [batch, (height / size) * columns, channels * size * size])
        var mismatches = 0
        for b in 0..<batch {
            for r in 0..<(height / size) {
                for s in 0..<columns {
                    for c in 0..<channels {
                        for i in 0..<size {
                            for j in 0..<size {
                                let expected = x.values[((b * channels + c) * height + r * size + i) * width + s * size + j]
                                let actual = y.values[(b * y.shape[1] + r * columns + s) * y.shape[2] + (c * size + i) * size + j]
                                if expected != actual { mismatches += 1 }
                            }
                        }
                    }
                }
            }
        }
        #expect(mismatches == 0)
        // Conv2d with kernel = stride = p, out channel d at patch (r, s): Σ_{c,i,j} W[d,c,i,j]·x[b,c,rp+i,sp+j].
        let weight = randomTensor([5, channels, size, size], seed: 32)
        let projected = y.linear(weight: weight.reshaped([5, channels * size * size]), bias: nil)
        var worst: Double = 0
        for b in 0..<batch {
            for r in 0..<(height / size) {
                for s in 0..<columns {
                    for d in 0..<5 {
                        var total: Double = 0
                        for c in 0..<channels {
                            for i in 0..<size {
                                for j in 0..<size {
                                    total += Double(weight.values[((d * channels + c) * size + i) * size + j])
                                        * Double(x.values[((b * channels + c) * height + r * size + i) * width + s * size + j])
                                }
                            }
                        }
                        worst = max(worst, abs(total - Double(projected.values[(b * y.shape[1] + r * columns + s) * 5 + d])))
                    }
                }
            }
        }
        #expect(worst < 1e-5, "largest difference \(worst)")
    }

    @Test("patches gradient")
    func patchGradient() {
        let x = randomTensor([1, 2, 4, 6], seed: 33)
        checker.check([x]) { x.patches(size: 2) }
    }

    @Test("groupNorm equals the direct formula", arguments: [1, 2, 6])
    func groupNormValues(groups: Int) {
        let (batch, channels, length) = (2, 6, 5)
        let x = randomTensor([batch, channels, length], seed: 41, low: -3, high: 3)
        let gamma = randomTensor([channels], seed: 42)
        let beta = randomTensor([channels], seed: 43)
        let y = x.groupNorm(groupCount: groups, gamma: gamma, beta: beta, epsilon: 1e-5)
        let groupChannels = channels / groups
        var worst: Double = 0
        for b in 0..<batch {
            for g in 0..<groups {
                var members: [Int] = []
                for c in (g * groupChannels)..<((g + 1) * groupChannels) {
                    for t in 0..<length { members.append((b * channels + c) * length + t) }
                }
                let mean = members.reduce(0.0) { $0 + Double(x.values[$1]) } / Double(members.count)
                let variance = members.reduce(0.0) { $0 + pow(Double(x.values[$1]) - mean, 2) } / Double(members.count)
                for index in members {
                    let c = (index / length) % channels
                    let expected = (Double(x.values[index]) - mean) / (variance + 1e-5).squareRoot() * Double(gamma.values[c])
                        + Double(beta.values[c])
                    worst = max(worst, abs(expected - Double(y.values[index])))
                }
            }
        }
        #expect(worst < 1e-5, "largest difference \(worst)")
    }

    @Test("groupNorm gradients", arguments: [1, 3])
    func groupNormGradients(groups: Int) {
        let x = randomTensor([2, 3, 4], seed: 44, low: -2, high: 2)
        let gamma = randomTensor([3], seed: 45)
        let beta = randomTensor([3], seed: 46)
        checker.check([x, gamma, beta]) { x.groupNorm(groupCount: groups, gamma: gamma, beta: beta) }
    }

    @Test("weightNormalized: w = g·v/‖v‖ with the norm over every axis but dim", arguments: [0, 1, 2])
    func weightNormValues(dim: Int) {
        let v = randomTensor([3, 2, 4], seed: 51)
        var magnitudeShape = [1, 1, 1]
        magnitudeShape[dim] = v.shape[dim]
        let g = randomTensor(magnitudeShape, seed: 52, low: 0.5, high: 2)
        let w = v.weightNormalized(magnitude: g, dim: dim)
        #expect(w.shape == v.shape)
        var worst: Double = 0
        for index in 0..<v.count {
            let coordinates = [index / 8, (index / 4) % 2, index % 4]
            var norm: Double = 0
            for other in 0..<v.count where [other / 8, (other / 4) % 2, other % 4][dim] == coordinates[dim] {
                norm += Double(v.values[other]) * Double(v.values[other])
            }
            let expected = Double(g.values[coordinates[dim]]) * Double(v.values[index]) / norm.squareRoot()
            worst = max(worst, abs(expected - Double(w.values[index])))
        }
        #expect(worst < 1e-6, "largest difference \(worst)")
    }

    @Test("weightNormalized gradients for g and v")
    func weightNormGradients() {
        let v = randomTensor([3, 2, 4], seed: 53)
        let g = randomTensor([1, 1, 4], seed: 54, low: 0.5, high: 2)
        checker.check([v, g]) { v.weightNormalized(magnitude: g, dim: 2) }
    }
}
