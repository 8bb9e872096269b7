import Fusion
import Tensor
import Testing

/// The inference forward pass (evaluation mode, no gradient: embedding straight into the sequence, the encoder
/// layers' inference path, direct pooling) against the recorded forward pass of the same model.
@Suite("Fusion inference path", .serialized)
struct FusionInferencePathTests {
    /// The largest absolute difference between two tensors of one shape.
    static func worst(_ a: Tensor, _ b: Tensor) -> Float {
        #expect(a.shape == b.shape)
        return zip(a.values, b.values).map { abs($0 - $1) }.max() ?? 0
    }

    /// Runs both passes on `cases` and compares every output.
    static func compare(configuration: FusionConfiguration, cases: [FusionCase], threads: Int,
                        tolerance: Float) throws {
        let previous = BLAS.threadCount
        BLAS.setThreadCount(threads)
        defer { BLAS.setThreadCount(previous) }
        let model = try FusionModel(configuration: configuration)
        model.setTraining(false)
        let batch = try FusionBatch(cases: cases, configuration: configuration)
        let recorded = model.forward(batch)
        let inferred = GradientMode.withoutGradient { model.forward(batch) }
        #expect(worst(inferred.lastLayerInput, recorded.lastLayerInput) <= tolerance, "embedded tokens")
        #expect(worst(inferred.attentionMask, recorded.attentionMask) == 0, "mask")
        for (group, (a, b)) in zip(inferred.pooled, recorded.pooled).enumerated() {
            #expect(worst(a, b) <= tolerance, "pooled group \(group)")
        }
        #expect(worst(inferred.gateWeights, recorded.gateWeights) <= tolerance, "gate")
        #expect(worst(inferred.fused, recorded.fused) <= tolerance, "fused")
        #expect(worst(inferred.logits, recorded.logits) <= tolerance,
                "logits differ by \(worst(inferred.logits, recorded.logits))")
        #expect(worst(inferred.retrieval, recorded.retrieval) <= tolerance, "retrieval")
        #expect(inferred.present == recorded.present)
    }

    @Test("benchmark shape at batch 1 (136 tokens): inference outputs equal the recorded ones within 1e-4",
          arguments: [1, 2])
    func benchmarkShape(threads: Int) throws {
        try Self.compare(configuration: FusionBenchmark.configuration, cases: FusionBenchmark.cases(count: 1, seed: 1),
                         threads: threads, tolerance: 1e-4)
    }

    @Test("small model, batch 6 with missing modalities: inference outputs equal the recorded ones within 1e-5")
    func missingModalities() throws {
        let configuration = smallConfiguration()
        let cases = syntheticCases(count: 6, configuration: configuration, seed: 9) { index in
            index % 3 == 0 ? [1] : (index % 3 == 1 ? [0, 2] : [])
        }
        try Self.compare(configuration: configuration, cases: cases, threads: 2, tolerance: 1e-5)
    }
}
