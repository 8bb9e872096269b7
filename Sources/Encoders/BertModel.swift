import Foundation
import Tensor

/// A BERT encoder (Hugging Face `BertModel`) for inference on Float32 buffers with OpenBLAS.
///
/// Forward pass for a batch of sequences, tokens of all sequences packed row after row (no padding between
/// sequences; a sequence may carry its own attention mask):
/// - embeddings: x = LayerNorm(word[id] + position[p] + type[t]), [T, H];
/// - each of N post-norm layers: [q k v] = x·W_qkv + b, [T, 3H]; per sequence and head,
///   P = softmax(q·kᵀ/√d + mask), [L, L] (masked keys get −3.4e38 added, as PyTorch's finfo.min);
///   context = P·v, [L, d]; x = LayerNorm(x + context·W_o + b_o); x = LayerNorm(x + GELU(x·W_1 + b_1)·W_2 + b_2);
/// - pooler (when the checkpoint has one): tanh(W_p·x[CLS] + b_p), [B, H].
/// Inside, activations are kept feature-major ([F, T]) so that each Linear is one gemm W[out, in] · xᵀ[in, T].
///
/// Thread-safe: scratch buffers are cached and handed to one call at a time (a concurrent call makes its own).
public final class BertModel: @unchecked Sendable {
    // @unchecked Sendable: the weights are immutable after init; the workspace cache is guarded by `workspaceLock`.

    /// The hyper-parameters.
    public let configuration: BertConfiguration
    let weights: BertWeights
    private let workspaceLock = NSLock()
    private var cachedWorkspace: BertWorkspace?

    /// Loads `config.json` and `model.safetensors` from `directory`.
    ///
    /// - Throws: ``EncoderError`` for a missing or invalid file, or a missing or mis-shaped tensor.
    public convenience init(directory: String) throws {
        let configuration = try BertConfiguration(path: directory + "/config.json")
        try self.init(configuration: configuration, weightsPath: directory + "/model.safetensors")
    }

    /// Loads the weights at `weightsPath` (safetensors) for `configuration`.
    public init(configuration: BertConfiguration, weightsPath: String) throws {
        self.configuration = configuration
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile(path: weightsPath)
        } catch let error as SafeTensorsError {
            throw EncoderError(file: error.file, field: error.field, message: error.message)
        }
        self.weights = try BertWeights(file: file, configuration: configuration)
    }

    /// Whether the checkpoint has a pooler (so ``BertOutput/pooledOutput`` is filled).
    public var hasPooler: Bool { weights.poolerWeight != nil }

    /// Runs the encoder on `inputs` (each of length 1...maximumPositions).
    ///
    /// - Returns: the last hidden state of every token, packed [Σ L_s, H], and the pooler output [B, H].
    /// - Throws: ``EncoderError`` for an empty or too long sequence, or an id out of range.
    public func forward(_ inputs: [BertInput]) throws -> BertOutput {
        try validate(inputs)
        return withWorkspace(for: inputs) { workspace in
            run(inputs, workspace: workspace)
            let hidden = configuration.hiddenSize
            let tokenCount = inputs.reduce(0) { $0 + $1.ids.count }
            let lastHiddenState = Array(
                UnsafeBufferPointer(start: workspace.tokenMajor.pointer, count: tokenCount * hidden))
            let pooled = hasPooler ? pool(inputs, workspace: workspace) : nil
            return BertOutput(
                hiddenSize: hidden, sequenceLengths: inputs.map(\.ids.count), lastHiddenState: lastHiddenState,
                pooledOutput: pooled)
        }
    }

    /// Runs the encoder, then calls `body` with the packed last hidden state [Σ L_s, H] token-major (valid during
    /// the call).
    func forward<Result>(
        _ inputs: [BertInput], body: (UnsafePointer<Float>) -> Result
    ) throws -> Result {
        try validate(inputs)
        return withWorkspace(for: inputs) { workspace in
            run(inputs, workspace: workspace)
            return body(workspace.tokenMajor.readOnly)
        }
    }

    private func validate(_ inputs: [BertInput]) throws {
        for (sequence, input) in inputs.enumerated() {
            guard !input.ids.isEmpty, input.ids.count <= configuration.maximumPositions else {
                throw EncoderError(
                    file: "input", field: "input_ids[\(sequence)]",
                    message: "length \(input.ids.count) is outside 1...\(configuration.maximumPositions)")
            }
            for (position, id) in input.ids.enumerated()
            where id < 0 || Int(id) >= configuration.vocabularySize {
                throw EncoderError(
                    file: "input", field: "input_ids[\(sequence)][\(position)]",
                    message: "id \(id) is outside the vocabulary of \(configuration.vocabularySize)")
            }
            guard input.typeIds.count == input.ids.count else {
                throw EncoderError(
                    file: "input", field: "token_type_ids[\(sequence)]",
                    message: "has \(input.typeIds.count) values for \(input.ids.count) tokens")
            }
            for (position, type) in input.typeIds.enumerated()
            where type < 0 || Int(type) >= configuration.typeVocabularySize {
                throw EncoderError(
                    file: "input", field: "token_type_ids[\(sequence)][\(position)]",
                    message: "type \(type) is outside 0..<\(configuration.typeVocabularySize)")
            }
            if let mask = input.attentionMask, mask.count != input.ids.count {
                throw EncoderError(
                    file: "input", field: "attention_mask[\(sequence)]",
                    message: "has \(mask.count) values for \(input.ids.count) tokens")
            }
        }
    }

    private func withWorkspace<Result>(for inputs: [BertInput], _ body: (BertWorkspace) -> Result) -> Result {
        let tokenCount = inputs.reduce(0) { $0 + $1.ids.count }
        let longest = inputs.reduce(0) { max($0, $1.ids.count) }
        workspaceLock.lock()
        var workspace = cachedWorkspace
        cachedWorkspace = nil
        workspaceLock.unlock()
        let workers = max(1, BLAS.threadCount)
        if workspace == nil || !workspace!.fits(tokenCount: tokenCount, longestSequence: longest, workers: workers) {
            let previous = workspace
            workspace = BertWorkspace(
                configuration: configuration,
                tokenCount: max(tokenCount, previous?.tokenCapacity ?? 0),
                longestSequence: max(longest, previous?.sequenceCapacity ?? 0),
                workers: max(workers, previous?.workerCapacity ?? 0))
        }
        let result = body(workspace!)
        workspaceLock.lock()
        cachedWorkspace = workspace
        workspaceLock.unlock()
        return result
    }

    /// tanh(W_p·x[CLS] + b_p) per sequence: [B, H].
    private func pool(_ inputs: [BertInput], workspace: BertWorkspace) -> [Float] {
        guard let poolerWeight = weights.poolerWeight, let poolerBias = weights.poolerBias else { return [] }
        let hidden = configuration.hiddenSize
        var pooled = [Float](repeating: 0, count: inputs.count * hidden)
        var offset = 0
        pooled.withUnsafeMutableBufferPointer { output in
            for (sequence, input) in inputs.enumerated() {
                let target = output.baseAddress! + sequence * hidden
                // y[H] = W_p[H, H] · x[CLS], with W_p stored [out, in].
                BLAS.gemv(
                    transposeA: false, m: hidden, n: hidden, a: poolerWeight.readOnly, lda: hidden,
                    x: workspace.tokenMajor.readOnly + offset * hidden, y: target)
                for column in 0..<hidden { target[column] = Foundation.tanh(target[column] + poolerBias.pointer[column]) }
                offset += input.ids.count
            }
        }
        return pooled
    }
}

/// One input sequence of a ``BertModel``: token ids, segment ids and an optional attention mask, all of one length.
public struct BertInput: Sendable, Equatable {
    /// Token ids, [L].
    public var ids: [Int32]
    /// Segment ids, [L].
    public var typeIds: [Int32]
    /// 1 for keys that may be attended to, 0 for padding, [L]; nil means all 1.
    public var attentionMask: [Int32]?

    /// An input of `ids` with type ids (default all 0) and mask (default none).
    public init(ids: [Int32], typeIds: [Int32]? = nil, attentionMask: [Int32]? = nil) {
        self.ids = ids
        self.typeIds = typeIds ?? [Int32](repeating: 0, count: ids.count)
        self.attentionMask = attentionMask
    }

    /// The input of a tokenizer encoding.
    public init(_ encoding: BertEncoding) {
        self.init(ids: encoding.ids, typeIds: encoding.typeIds)
    }
}

/// What ``BertModel/forward(_:)`` returns.
public struct BertOutput: Sendable {
    /// H.
    public let hiddenSize: Int
    /// L_s for each input sequence.
    public let sequenceLengths: [Int]
    /// The last layer's token vectors, sequences one after another: [Σ L_s, H] row-major.
    public let lastHiddenState: [Float]
    /// tanh(W_p·h[CLS] + b_p) per sequence, [B, H]; nil when the checkpoint has no pooler.
    public let pooledOutput: [Float]?

    /// The token vectors of sequence `index`: [L_index, H] row-major.
    public func hiddenStates(ofSequence index: Int) -> ArraySlice<Float> {
        let start = sequenceLengths[..<index].reduce(0, +) * hiddenSize
        return lastHiddenState[start..<start + sequenceLengths[index] * hiddenSize]
    }
}
