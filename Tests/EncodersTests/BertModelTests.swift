import Encoders
import Foundation
import Tensor
import Testing

@Suite("BERT model on the tiny random checkpoint")
struct BertModelTests {
    static func referenceInputs(_ reference: TinyBertReference) -> [BertInput] {
        (0..<reference.inputs.input_ids.count).map {
            BertInput(
                ids: reference.inputs.input_ids[$0], typeIds: reference.inputs.token_type_ids[$0],
                attentionMask: reference.inputs.attention_mask[$0])
        }
    }

    @Test("last_hidden_state and pooler_output match the PyTorch reference within 1e-4 on every value")
    func matchesReference() throws {
        let reference = try SharedFixtures.decode(
            TinyBertReference.self, from: SharedFixtures.tinyBert + "/reference.json")
        let model = try BertModel(directory: SharedFixtures.tinyBert)
        #expect(model.configuration.hiddenSize == 32)
        #expect(model.configuration.layerCount == 2)
        #expect(model.hasPooler)
        let output = try model.forward(Self.referenceInputs(reference))

        let expectedHidden = reference.outputs.last_hidden_state
        #expect(expectedHidden.shape == [2, 17, 32])
        #expect(output.lastHiddenState.count == expectedHidden.values.flat.count)
        let hiddenError = zip(output.lastHiddenState, expectedHidden.values.flat).map { abs($0 - $1) }.max() ?? .nan
        #expect(hiddenError < 1e-4, "max |Δ| last_hidden_state = \(hiddenError)")

        let expectedPooled = reference.outputs.pooler_output
        #expect(expectedPooled.shape == [2, 32])
        let pooled = try #require(output.pooledOutput)
        #expect(pooled.count == expectedPooled.values.flat.count)
        let pooledError = zip(pooled, expectedPooled.values.flat).map { abs($0 - $1) }.max() ?? .nan
        #expect(pooledError < 1e-4, "max |Δ| pooler_output = \(pooledError)")
    }

    @Test("A padded row with its key mask gives the same real tokens as the unpadded row alone")
    func paddingMatchesSingle() throws {
        let reference = try SharedFixtures.decode(
            TinyBertReference.self, from: SharedFixtures.tinyBert + "/reference.json")
        let model = try BertModel(directory: SharedFixtures.tinyBert)
        let inputs = Self.referenceInputs(reference)
        let batched = try model.forward(inputs)
        let realLength = Int(inputs[1].attentionMask!.reduce(0, +))
        #expect(realLength == 9)
        let alone = try model.forward([
            BertInput(ids: Array(inputs[1].ids.prefix(realLength)), typeIds: Array(inputs[1].typeIds.prefix(realLength)))
        ])
        let padded = Array(batched.hiddenStates(ofSequence: 1).prefix(realLength * 32))
        let single = Array(alone.hiddenStates(ofSequence: 0))
        let difference = zip(padded, single).map { abs($0 - $1) }.max() ?? .nan
        #expect(difference < 1e-5, "max |Δ| = \(difference)")
        let pooledDifference = zip(batched.pooledOutput![32..<64], alone.pooledOutput!).map { abs($0 - $1) }.max()
        #expect((pooledDifference ?? .nan) < 1e-5)
    }

    @Test("A checkpoint whose names carry the bert. prefix (BertForX checkpoints) loads and gives the same outputs")
    func prefixedNames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kgfuse-bert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try SafeTensorsFile(path: SharedFixtures.tinyBert + "/model.safetensors")
        var writer = SafeTensorsWriter(metadata: original.metadata)
        for name in original.names {
            try writer.add(name: "bert." + name, shape: try original.info(name).shape, floats: try original.floats(name))
        }
        try writer.write(to: folder.appendingPathComponent("model.safetensors").path)
        try FileManager.default.copyItem(
            atPath: SharedFixtures.tinyBert + "/config.json", toPath: folder.appendingPathComponent("config.json").path)
        let prefixed = try BertModel(directory: folder.path)
        let plain = try BertModel(directory: SharedFixtures.tinyBert)
        let input = [BertInput(ids: [101, 7592, 2088, 102])]
        #expect(try prefixed.forward(input).lastHiddenState == plain.forward(input).lastHiddenState)
    }

    @Test("Out-of-range ids and too long inputs are refused with the field named")
    func invalidInputs() throws {
        let model = try BertModel(directory: SharedFixtures.tinyBert)
        do {
            _ = try model.forward([BertInput(ids: [101, 30522, 102])])
            Issue.record("an id outside the vocabulary was accepted")
        } catch let error as EncoderError {
            #expect(error.field == "input_ids[0][1]")
        }
        do {
            _ = try model.forward([BertInput(ids: [Int32](repeating: 100, count: 513))])
            Issue.record("a sequence longer than max_position_embeddings was accepted")
        } catch let error as EncoderError {
            #expect(error.field == "input_ids[0]")
        }
    }

    @Test("A config.json with another activation is refused naming hidden_act")
    func unsupportedActivation() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kgfuse-bert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try String(contentsOfFile: SharedFixtures.tinyBert + "/config.json", encoding: .utf8)
        let edited = original.replacingOccurrences(of: "\"hidden_act\": \"gelu\"", with: "\"hidden_act\": \"relu\"")
        #expect(edited != original)
        try edited.write(to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        #expect(throws: EncoderError(
            file: folder.appendingPathComponent("config.json").path, field: "hidden_act",
            message: "\"relu\" is not supported (only gelu with erf)")) {
            try BertConfiguration(path: folder.appendingPathComponent("config.json").path)
        }
    }
}
