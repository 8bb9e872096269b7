import Foundation
import Tensor

/// Wall-clock timings of ``SentenceEncoder/encode(_:)-([String])`` for one batch size.
public struct TextEncoderTiming: Sendable, Codable {
    /// Sentences per batch.
    public var batchSize: Int
    /// Threads used (``WorkerPool``; OpenBLAS itself runs single-threaded).
    public var threads: Int
    /// Timed runs (after warm-up).
    public var runs: Int
    /// Median milliseconds per batch.
    public var medianMilliseconds: Double
    /// Fastest run, milliseconds per batch.
    public var minimumMilliseconds: Double
    /// Median process CPU time per batch (all threads), milliseconds: at 1 thread, the cost without time-sharing.
    public var processorMilliseconds: Double
}

extension SentenceEncoder {
    /// The sentences the text-encoder benchmark cycles through (the same as Benchmarks/text-encoder/peer.py).
    public static let benchmarkSentences = [
        "The quick brown fox jumps over the lazy dog.",
        "A knowledge graph stores facts as subject-predicate-object triples.",
        "Aspirin is used to treat pain, fever, and inflammation.",
        "I can't believe it's already 5 o'clock in São Paulo!",
        "Café résumé naïve: ÜNICODE text, emoji-free, with numbers 3.14159 and 2024.",
    ]

    /// Times `encode` (tokenize, forward, mean pool, normalise) on `batchSize` sentences cycled from
    /// ``benchmarkSentences`` with OpenBLAS at `threads` threads; `warmup` untimed runs, then `runs` timed ones.
    public func measure(batchSize: Int, threads: Int, runs: Int = 50, warmup: Int = 5) throws -> TextEncoderTiming {
        let previousThreads = BLAS.threadCount
        BLAS.setThreadCount(threads)
        defer { BLAS.setThreadCount(previousThreads) }
        let sentences = (0..<batchSize).map { Self.benchmarkSentences[$0 % Self.benchmarkSentences.count] }
        let sample = try Stopwatch.measure(runs: runs, warmup: warmup) { _ = try encode(sentences) }
        return TextEncoderTiming(
            batchSize: batchSize, threads: threads, runs: sample.runs, medianMilliseconds: sample.medianMilliseconds,
            minimumMilliseconds: sample.minimumMilliseconds, processorMilliseconds: sample.processorMilliseconds)
    }
}
