import Encoders
import Foundation
import Tensor
import Testing

/// The logic of `kgfuse encode` (``Checkpoint/encode(checkpointDirectory:inputPath:)``) on the tiny checkpoints,
/// and its errors.
@Suite("Encode command")
struct EncodeCommandTests {
    init() { BLAS.setThreadCount(1) }

    @Test("encode reproduces reference.json for bert, vit and wav2vec2, through the JSON output", arguments: ["bert", "vit", "wav2vec2"])
    func reproducesReference(name: String) throws {
        let reference = try TinyCheckpoint(name)
        let folder = try makeEncodeTestDirectory()
        let inputPath = folder.appendingPathComponent("input.json").path
        try reference.inputData.write(to: URL(fileURLWithPath: inputPath))
        let output = try Checkpoint.encode(checkpointDirectory: reference.directory, inputPath: inputPath)
        let parsed = try JSONSerialization.jsonObject(with: Data(output.json().utf8)) as! [String: Any]
        #expect(Set(parsed.keys) == Set(["last_hidden_state"] + (reference.outputs["pooler_output"] != nil ? ["pooler_output"] : [])))
        for key in parsed.keys {
            let printed = try NestedNumbers(parsed[key]!, field: key, file: "output")
            let expected = try #require(reference.outputs[key])
            #expect(printed.shape == expected.shape, "\(key)")
            let worst = zip(printed.values, expected.values).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst < 1e-4, "\(name) \(key) differs by \(worst)")
        }
    }

    /// The error thrown by `body`, or nil.
    func error(_ body: () throws -> Void) -> EncoderError? {
        do {
            try body()
            return nil
        } catch {
            return error as? EncoderError
        }
    }

    @Test("a missing file is named")
    func missingFiles() throws {
        let reference = try TinyCheckpoint("vit")
        let missingInput = error { _ = try Checkpoint.encode(checkpointDirectory: reference.directory, inputPath: "/nonexistent/in.json") }
        #expect(missingInput?.file == "/nonexistent/in.json")
        let empty = try makeEncodeTestDirectory()
        let missingConfig = error { _ = try Checkpoint.load(directory: empty.path) }
        #expect(missingConfig?.file == empty.path + "/config.json")
        try FileManager.default.copyItem(atPath: reference.directory + "/config.json", toPath: empty.path + "/config.json")
        let missingWeights = error { _ = try Checkpoint.load(directory: empty.path) }
        #expect(missingWeights?.file == empty.path + "/model.safetensors")
    }

    @Test("a wrong input shape names the field and the expected shape")
    func wrongShapes() throws {
        let vit = try Checkpoint.load(directory: TinyCheckpoint("vit").directory)
        let oneChannel = try CheckpointInput(data: Data(#"{"pixel_values": [[[[0.5]]]]}"#.utf8), file: "in.json")
        let wrong = error { _ = try vit.encode(oneChannel) }
        #expect(wrong?.field == "pixel_values")
        #expect(wrong?.message.contains("[batch, 3, 32, 32]") == true)
        let noPixels = error { _ = try vit.encode(CheckpointInput(data: Data(#"{"input_values": [[1, 2]]}"#.utf8), file: "in.json")) }
        #expect(noPixels?.field == "pixel_values")
        let ragged = error { _ = try CheckpointInput(data: Data(#"{"input_values": [[1, 2], [3]]}"#.utf8), file: "in.json") }
        #expect(ragged?.field == "input_values[1]")
        let text = error { _ = try CheckpointInput(data: Data(#"{"input_values": [[1, "a"]]}"#.utf8), file: "in.json") }
        #expect(text?.field == "input_values[0][1]")
        let bert = try Checkpoint.load(directory: TinyCheckpoint("bert").directory)
        let mismatchedMask = error {
            _ = try bert.encode(CheckpointInput(data: Data(#"{"input_ids": [[101, 102]], "attention_mask": [[1]]}"#.utf8), file: "in.json"))
        }
        #expect(mismatchedMask?.field == "attention_mask")
        let outOfVocabulary = error { _ = try bert.encode(CheckpointInput(data: Data(#"{"input_ids": [[101, 99999]]}"#.utf8), file: "in.json")) }
        #expect(outOfVocabulary?.field == "input_ids[0][1]")
        #expect(outOfVocabulary?.file == "in.json")
    }

    @Test("a tensor missing from the checkpoint is named", arguments: [
        ("vit", "encoder.layer.1.attention.attention.value.weight"), ("wav2vec2", "encoder.layers.0.feed_forward.output_dense.bias"),
        ("vit", "embeddings.cls_token"),
    ])
    func missingTensor(setting: (String, String)) throws {
        let (name, dropped) = setting
        let folder = try copyCheckpoint(TinyCheckpoint(name).directory) { $0 == dropped ? nil : $0 }
        let failure = error { _ = try Checkpoint.load(directory: folder) }
        #expect(failure?.field == dropped)
        #expect(failure?.file == folder + "/model.safetensors")
    }

    @Test("an unknown model_type is refused")
    func unknownModelType() throws {
        let folder = try copyCheckpoint(TinyCheckpoint("vit").directory) { $0 }
        let configPath = folder + "/config.json"
        let text = try String(contentsOfFile: configPath, encoding: .utf8).replacingOccurrences(of: "\"vit\"", with: "\"gpt2\"")
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
        let failure = error { _ = try Checkpoint.load(directory: folder) }
        #expect(failure?.field == "model_type")
    }
}
