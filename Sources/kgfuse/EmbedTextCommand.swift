import ArgumentParser
import Encoders
import Foundation
import Tensor

/// `kgfuse embed-text`: sentence embeddings with all-MiniLM-L6-v2 (mean-pooled, unit length, 384 numbers).
struct EmbedText: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed-text",
        abstract: "Embed sentences with the all-MiniLM-L6-v2 text encoder.",
        discussion: """
            The model is read from $KGFUSE_MODELS/all-MiniLM-L6-v2 (default ~/.cache/kgfuse/models); \
            run scripts/fetch-models.sh once to put it there. Inputs longer than 256 tokens are truncated.
            """)

    @Flag(name: .long, help: "Print JSON: the embeddings (one array of 384 numbers per sentence), or with --similarity the cosine matrix.")
    var json = false

    @Flag(name: .long, help: "Print the cosine similarity matrix of the sentences instead of the embeddings.")
    var similarity = false

    @Option(name: .long, help: "A model folder with config.json, model.safetensors and vocab.txt (default: the cache).")
    var model: String?

    @Option(name: .long, help: "Threads for products and loops.")
    var threads: Int = 1

    @Argument(help: "The sentences to embed.")
    var sentences: [String]

    func validate() throws {
        guard !sentences.isEmpty else { throw ValidationError("Give at least one sentence.") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1.") }
    }

    func run() throws {
        BLAS.setThreadCount(threads)
        // A missing model is reported with the file and the fetch script to run (EncoderError's description).
        let encoder = try model.map { try SentenceEncoder(directory: $0) } ?? SentenceEncoder.allMiniLML6V2()
        let embeddings = try encoder.encode(sentences)
        if similarity {
            let matrix = embeddings.map { row in embeddings.map { column in Self.cosine(row, column) } }
            print(json ? Self.jsonMatrix(matrix) : Self.table(matrix, sentences: sentences))
        } else if json {
            print(Self.jsonMatrix(embeddings))
        } else {
            for (index, sentence) in sentences.enumerated() {
                let tokens = encoder.tokenizer.encode(sentence).ids.count
                let head = embeddings[index].prefix(6).map { String(format: "%+.4f", $0) }.joined(separator: " ")
                print("[\(index + 1)] \(sentence)")
                print("    \(tokens) tokens → \(embeddings[index].count) numbers: \(head) …")
            }
        }
    }

    /// Σ a_i b_i / (‖a‖ ‖b‖).
    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0
        var normA: Float = 0
        var normB: Float = 0
        for index in a.indices {
            dot += a[index] * b[index]
            normA += a[index] * a[index]
            normB += b[index] * b[index]
        }
        return dot / max((normA * normB).squareRoot(), 1e-12)
    }

    /// `[[a, b, ...], ...]` with each number in its shortest round-trip form.
    static func jsonMatrix(_ rows: [[Float]]) -> String {
        "[" + rows.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",\n ") + "]"
    }

    /// A readable cosine table: one row per sentence, numbered columns.
    static func table(_ matrix: [[Float]], sentences: [String]) -> String {
        var lines = ["cosine similarity"]
        lines.append("     " + (1...matrix.count).map { String(format: "%7d", $0) }.joined())
        for (index, row) in matrix.enumerated() {
            lines.append(String(format: "%4d ", index + 1) + row.map { String(format: "%7.3f", $0) }.joined())
        }
        for (index, sentence) in sentences.enumerated() { lines.append("[\(index + 1)] \(sentence)") }
        return lines.joined(separator: "\n")
    }
}
