import Encoders
import Foundation
import Tensor

/// One tiny random Hugging Face checkpoint of `../shared/models/hf_tiny` with its reference.json:
/// the inputs (re-serialised as an encode input file) and the outputs as flat values with shapes.
struct TinyCheckpoint {
    /// The checkpoint folder.
    let directory: String
    /// The `inputs` object of reference.json as JSON bytes (the input format of `kgfuse encode`).
    let inputData: Data
    /// Each output of reference.json: name → (shape, row-major values).
    let outputs: [String: NestedNumbers]

    /// Reads `hf_tiny/NAME/reference.json`.
    init(_ name: String) throws {
        directory = SharedFixtures.shared.appendingPathComponent("models/hf_tiny/\(name)").path
        let referencePath = directory + "/reference.json"
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: referencePath))) as! [String: Any]
        inputData = try JSONSerialization.data(withJSONObject: reference["inputs"]!)
        var outputs: [String: NestedNumbers] = [:]
        for (key, value) in reference["outputs"] as! [String: Any] {
            let entry = value as! [String: Any]
            let parsed = try NestedNumbers(entry["values"]!, field: key, file: referencePath)
            precondition(parsed.shape == (entry["shape"] as! [Int]), "\(key): shape mismatch in the reference itself")
            outputs[key] = parsed
        }
        self.outputs = outputs
    }

    /// The inputs as a ``CheckpointInput``.
    func input() throws -> CheckpointInput {
        try CheckpointInput(data: inputData, file: directory + "/reference.json#inputs")
    }

    /// The largest |actual − expected| for output `name`, or nil when the shapes differ.
    func largestDifference(_ name: String, _ actual: Tensor) -> Double? {
        guard let expected = outputs[name], expected.shape == actual.shape else { return nil }
        return zip(actual.values, expected.values).map { abs(Double($0) - $1) }.max() ?? 0
    }
}

/// A fresh temporary folder.
func makeEncodeTestDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("kgfuse-encoders-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Copies the checkpoint folder `source` into a temporary folder, rewriting model.safetensors with each tensor
/// renamed by `rename` (nil drops it); returns the new folder.
func copyCheckpoint(_ source: String, rename: (String) -> String?) throws -> String {
    let target = try makeEncodeTestDirectory()
    try FileManager.default.copyItem(atPath: source + "/config.json", toPath: target.appendingPathComponent("config.json").path)
    let file = try SafeTensorsFile(path: source + "/model.safetensors")
    var writer = SafeTensorsWriter(metadata: file.metadata)
    for name in file.names {
        guard let newName = rename(name) else { continue }
        let info = try file.info(name)
        let bytes = try file.withRawBytes(of: name) { Array($0) }
        try writer.add(name: newName, dtype: info.dtype, shape: info.shape, bytes: bytes)
    }
    try writer.write(to: target.appendingPathComponent("model.safetensors").path)
    return target.path
}
