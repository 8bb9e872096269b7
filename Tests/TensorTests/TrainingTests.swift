import Foundation
import Testing
import Tensor

/// Optimiser, clipping, schedule and random generator facts.
@Suite("Training pieces")
struct TrainingTests {
    init() { BLAS.setThreadCount(1) }

    @Test("xoshiro256** seeded by SplitMix64 reproduces the reference stream")
    func generatorStream() {
        // From a Python transcription of the reference C (prng.di.unimi.it) with SplitMix64 seeding, seed 42.
        var generator = SeededGenerator(seed: 42)
        #expect([generator.next(), generator.next(), generator.next()]
                == [1_546_998_764_402_558_742, 6_990_951_692_964_543_102, 12_544_586_762_248_559_009])
        var other = SeededGenerator(seed: 43)
        #expect(other.next() != 1_546_998_764_402_558_742)
    }

    @Test("uniform and normal samples have the right moments")
    func distributions() {
        var generator = SeededGenerator(seed: 5)
        let uniform = (0..<200_000).map { _ in Double(generator.nextUniform()) }
        #expect(uniform.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(uniform.reduce(0, +) / 200_000 - 0.5) < 0.005)
        let normal = (0..<200_000).map { _ in Double(generator.nextNormal()) }
        let mean = normal.reduce(0, +) / 200_000
        let variance = normal.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 200_000
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.02)
    }

    @Test("AdamW's first step is p·(1 − ηλ) − η·g/(|g| + ε), and biases are not decayed")
    func adamFirstStep() {
        let weight = Tensor(shape: [1, 3], values: [1, -2, 0.5], requiresGradient: true)
        let bias = Tensor(shape: [2], values: [0.3, -0.3], requiresGradient: true)
        let optimizer = AdamW(parameters: [("weight", weight), ("bias", bias)], learningRate: 0.1, weightDecay: 0.5)
        weight.gradient = [0.2, -4, 0]
        bias.gradient = [1, 0]
        optimizer.step()
        let expectedWeight: [Float] = [1 * 0.95 - 0.1 * 0.2 / (0.2 + 1e-8), -2 * 0.95 + 0.1, 0.5 * 0.95]
        #expect(zip(weight.values, expectedWeight).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(zip(bias.values, [Float(0.2), -0.3]).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(optimizer.stepCount == 1)
    }

    @Test("AdamW drives a least-squares fit to its solution")
    func adamConverges() {
        var generator = SeededGenerator(seed: 9)
        let x = Tensor.normal([64, 3], generator: &generator)
        let trueWeight = Tensor(shape: [1, 3], values: [2, -1, 0.5])
        let y = x.linear(weight: trueWeight, bias: Tensor(shape: [1], values: [0.25])).detached()
        let model = Linear(inputSize: 3, outputSize: 1, generator: &generator)
        let optimizer = AdamW(parameters: model.namedParameters(), learningRate: 0.05, weightDecay: 0)
        var loss: Float = .infinity
        for _ in 0..<400 {
            optimizer.zeroGradients()
            let error = (model(x) - y).squared().mean()
            error.backward()
            optimizer.step()
            loss = error.scalarValue
        }
        #expect(loss < 1e-4)
        #expect(zip(model.weight.values, trueWeight.values).allSatisfy { abs($0 - $1) < 0.01 })
        #expect(abs(model.bias!.values[0] - 0.25) < 0.01)
    }

    @Test("clipping by global norm rescales only above the limit")
    func clipping() {
        let a = Tensor(shape: [2], values: [0, 0], requiresGradient: true)
        let b = Tensor(shape: [1], values: [0], requiresGradient: true)
        a.gradient = [3, 0]
        b.gradient = [4]
        #expect(GradientClipping.clipGlobalNorm([a, b], maxNorm: 10) == 5)
        #expect(a.gradient! == [3, 0] && b.gradient! == [4])
        #expect(GradientClipping.clipGlobalNorm([a, b], maxNorm: 1) == 5)
        let norm = (a.gradient![0] * a.gradient![0] + b.gradient![0] * b.gradient![0]).squareRoot()
        #expect(abs(norm - 1) < 1e-5)
        #expect(abs(a.gradient![0] / b.gradient![0] - 0.75) < 1e-6)
    }

    @Test("warm-up rises linearly, cosine decay reaches the floor")
    func schedule() {
        let schedule = WarmupCosineSchedule(peak: 1e-3, warmupSteps: 10, totalSteps: 110, minimum: 1e-5)
        #expect(abs(schedule.learningRate(step: 0) - 1e-4) < 1e-9)
        #expect(abs(schedule.learningRate(step: 9) - 1e-3) < 1e-9)
        #expect(abs(schedule.learningRate(step: 10) - 1e-3) < 1e-9)
        #expect(abs(schedule.learningRate(step: 60) - (1e-5 + (1e-3 - 1e-5) / 2)) < 1e-8)
        #expect(abs(schedule.learningRate(step: 110) - 1e-5) < 1e-9)
        #expect(abs(schedule.learningRate(step: 500) - 1e-5) < 1e-9)
        #expect(schedule.learningRate(step: 30) > schedule.learningRate(step: 31))
    }

    /// Builds a small classifier from `seed`, trains it for `steps` with dropout, returns (losses, final weights).
    func shortRun(seed: UInt64, steps: Int) -> ([Float], [Float]) {
        var generator = SeededGenerator(seed: seed)
        let block = TransformerEncoderLayer(modelDimension: 8, headCount: 2, feedForwardDimension: 16, dropout: 0.1,
                                            generator: &generator)
        let head = Linear(inputSize: 8, outputSize: 3, generator: &generator)
        let parameters = block.namedParameters() + head.namedParameters().map { ("head." + $0.0, $0.1) }
        let optimizer = AdamW(parameters: parameters, learningRate: 1e-2)
        var dataGenerator = SeededGenerator(seed: 1000)
        let inputs = Tensor.normal([4, 5, 8], generator: &dataGenerator)
        var losses: [Float] = []
        for _ in 0..<steps {
            optimizer.zeroGradients()
            let pooled = block(inputs).mean(axis: 1)
            let loss = Loss.crossEntropy(logits: head(pooled), targets: [0, 1, 2, 1], labelSmoothing: 0.1)
            loss.backward()
            GradientClipping.clipGlobalNorm(parameters.map(\.1), maxNorm: 1)
            optimizer.step()
            losses.append(loss.scalarValue)
        }
        return (losses, parameters.flatMap { $0.1.values })
    }

    @Test("the same seed gives the same weights and losses; another seed does not")
    func determinism() {
        let first = shortRun(seed: 7, steps: 5)
        let second = shortRun(seed: 7, steps: 5)
        let other = shortRun(seed: 8, steps: 5)
        #expect(first.0 == second.0)
        #expect(first.1 == second.1)
        #expect(first.0 != other.0)
        #expect(first.0.last! < first.0.first!)
    }
}
