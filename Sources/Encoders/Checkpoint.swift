import Foundation
import Tensor

/// A Hugging Face checkpoint folder (`config.json` + `model.safetensors`) loaded as the model its `model_type` names:
/// `bert` (``BertModel``), `vit` (``ViTModel``) or `wav2vec2` (``Wav2Vec2Model``).
public enum Checkpoint {
    /// A BERT text encoder.
    case bert(BertModel)
    /// A Vision Transformer.
    case vit(ViTModel)
    /// A wav2vec 2.0 speech encoder.
    case wav2vec2(Wav2Vec2Model)

    /// The model types `load(directory:)` accepts.
    public static let supportedModelTypes = ["bert", "vit", "wav2vec2"]

    /// Loads the checkpoint in `directory`, dispatching on `config.json`'s `model_type`.
    ///
    /// - Throws: ``EncoderError`` for a missing folder or file, an unknown model type, an unsupported setting, or
    ///   a tensor missing from `model.safetensors` or of the wrong shape (named).
    public static func load(directory: String) throws -> Checkpoint {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EncoderError(file: directory, message: "no such checkpoint folder")
        }
        let configurationPath = directory + "/config.json"
        let weightsPath = directory + "/model.safetensors"
        let configuration = try CheckpointConfiguration(path: configurationPath)
        guard FileManager.default.fileExists(atPath: weightsPath) else {
            throw EncoderError(file: weightsPath, message: "no such file (a checkpoint folder needs config.json and model.safetensors)")
        }
        let modelType = try configuration.string("model_type")
        switch modelType {
        case "bert":
            return .bert(try BertModel(directory: directory))
        case "vit":
            return .vit(try ViTModel(configuration: configuration, weights: CheckpointWeights(path: weightsPath)))
        case "wav2vec2":
            return .wav2vec2(try Wav2Vec2Model(configuration: configuration, weights: CheckpointWeights(path: weightsPath)))
        default:
            throw EncoderError(file: configurationPath, field: "model_type",
                               message: "\"\(modelType)\" is not supported (supported: \(supportedModelTypes.joined(separator: ", ")))")
        }
    }

    /// Runs the model on `input` without recording gradients.
    ///
    /// BERT reads `input_ids` [B, S] with optional `attention_mask` and `token_type_ids` [B, S]; ViT reads
    /// `pixel_values` [B, C, H, W]; wav2vec2 reads `input_values` [B, L] with an optional `attention_mask` [B, L].
    /// - Throws: ``EncoderError`` naming the input file and field for a missing field or a wrong shape.
    public func encode(_ input: CheckpointInput) throws -> CheckpointOutput {
        switch self {
        case .bert(let model):
            return try Self.encode(input, bert: model)
        case .vit(let model):
            let configuration = model.configuration
            let side = configuration.imageSize
            let description = "[batch, \(configuration.channelCount), \(side), \(side)] (batch, channels, height, width)"
            let pixels = try input.field("pixel_values", rank: 4, expected: [nil, configuration.channelCount, side, side],
                                         meaning: description)!
            let (hidden, pooled) = GradientMode.withoutGradient { model(Tensor(shape: pixels.shape, values: pixels.floats)) }
            return CheckpointOutput(lastHiddenState: hidden, poolerOutput: pooled)
        case .wav2vec2(let model):
            let samples = try input.field("input_values", rank: 2, meaning: "[batch, samples]")!
            guard model.configuration.frameCount(forSamples: samples.shape[1]) > 0 else {
                throw EncoderError(file: input.file, field: "input_values",
                                   message: "\(samples.shape[1]) samples are too few for the feature encoder's receptive field")
            }
            var sampleMask: [[Int]]?
            if let mask = try input.field("attention_mask", rank: 2, expected: samples.shape.map { $0 }, meaning: "the shape of input_values \(samples.shape)",
                                          required: false) {
                sampleMask = try mask.integerRows(field: "attention_mask", file: input.file)
            }
            let (hidden, _) = GradientMode.withoutGradient {
                model(Tensor(shape: samples.shape, values: samples.floats), sampleMask: sampleMask)
            }
            return CheckpointOutput(lastHiddenState: hidden, poolerOutput: nil)
        }
    }

    /// BERT through ``BertModel/forward(_:)``: one ``BertInput`` per row; the packed output is reshaped to [B, S, H].
    private static func encode(_ input: CheckpointInput, bert model: BertModel) throws -> CheckpointOutput {
        let ids = try input.field("input_ids", rank: 2, meaning: "[batch, tokens]")!
        let rows = try ids.integerRows(field: "input_ids", file: input.file)
        let expected: [Int?] = ids.shape.map { $0 }
        let meaning = "the shape of input_ids \(ids.shape)"
        let masks = try input.field("attention_mask", rank: 2, expected: expected, meaning: meaning, required: false)?
            .integerRows(field: "attention_mask", file: input.file)
        let types = try input.field("token_type_ids", rank: 2, expected: expected, meaning: meaning, required: false)?
            .integerRows(field: "token_type_ids", file: input.file)
        func narrow(_ values: [Int], _ field: String, _ row: Int) throws -> [Int32] {
            try values.enumerated().map { column, value in
                guard let narrow = Int32(exactly: value) else {
                    throw EncoderError(file: input.file, field: "\(field)[\(row)][\(column)]", message: "\(value) is out of range")
                }
                return narrow
            }
        }
        let inputs = try rows.enumerated().map { row, tokens in
            BertInput(ids: try narrow(tokens, "input_ids", row),
                      typeIds: try types.map { try narrow($0[row], "token_type_ids", row) },
                      attentionMask: try masks.map { try narrow($0[row], "attention_mask", row) })
        }
        let output: BertOutput
        do {
            output = try model.forward(inputs)
        } catch let error as EncoderError where error.file == "input" {
            throw EncoderError(file: input.file, field: error.field, message: error.message)
        }
        let hidden = model.configuration.hiddenSize
        return CheckpointOutput(
            lastHiddenState: Tensor(shape: [rows.count, ids.shape[1], hidden], values: output.lastHiddenState),
            poolerOutput: output.pooledOutput.map { Tensor(shape: [rows.count, hidden], values: $0) })
    }

    /// Reads `checkpointDirectory` and `inputPath` and encodes: the logic of `kgfuse encode`.
    ///
    /// - Throws: ``EncoderError`` for any missing file, wrong shape or missing tensor.
    public static func encode(checkpointDirectory: String, inputPath: String) throws -> CheckpointOutput {
        let checkpoint = try load(directory: checkpointDirectory)
        return try checkpoint.encode(CheckpointInput(path: inputPath))
    }
}

/// What ``Checkpoint/encode(_:)`` returns: Hugging Face's `last_hidden_state` and, where the model has one, `pooler_output`.
public struct CheckpointOutput {
    /// [B, S, D] (tokens, patches + [CLS], or audio frames).
    public let lastHiddenState: Tensor
    /// [B, P], or nil for a model without pooler.
    public let poolerOutput: Tensor?

    /// Wraps the two outputs.
    public init(lastHiddenState: Tensor, poolerOutput: Tensor?) {
        self.lastHiddenState = lastHiddenState
        self.poolerOutput = poolerOutput
    }

    /// `{"last_hidden_state": [[[…]]], "pooler_output": [[…]]}` with nested lists, batch first; numbers in
    /// Swift's shortest round-trip form for Float32.
    public func json() -> String {
        var text = "{\"last_hidden_state\": "
        Self.appendNested(lastHiddenState, to: &text)
        if let poolerOutput {
            text += ", \"pooler_output\": "
            Self.appendNested(poolerOutput, to: &text)
        }
        text += "}"
        return text
    }

    /// Appends the tensor's values as nested JSON arrays following its shape.
    static func appendNested(_ tensor: Tensor, to text: inout String) {
        let shape = tensor.shape
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        func emit(axis: Int, offset: Int) {
            if axis == shape.count {
                let value = tensor.values[offset]
                text += value.isFinite ? "\(value)" : "null"
                return
            }
            text += "["
            for index in 0..<shape[axis] {
                if index > 0 { text += ", " }
                emit(axis: axis + 1, offset: offset + index * strides[axis])
            }
            text += "]"
        }
        emit(axis: 0, offset: 0)
    }
}
