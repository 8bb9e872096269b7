import Tensor

/// The tensors of a `model.safetensors` file as a name → (shape, values) map for `Layer.load`, with the
/// checkpoint's spelling variants brought to one form.
///
/// Weight normalisation is stored either as `NAME.weight_g` / `NAME.weight_v` (checkpoints published with
/// `torch.nn.utils.weight_norm`) or as `NAME.parametrizations.weight.original0` / `original1` (current
/// transformers, `torch.nn.utils.parametrizations.weight_norm`); both become `weight_g` / `weight_v`.
public struct CheckpointWeights {
    /// The path of the safetensors file.
    public let path: String
    /// Tensors by their canonical names.
    public private(set) var tensors: [String: (shape: [Int], values: [Float])]

    /// Reads every floating-point tensor of the safetensors file at `path`.
    ///
    /// - Throws: ``EncoderError`` naming the file (and tensor) when it is missing or invalid.
    public init(path: String) throws {
        self.path = path
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile(path: path)
        } catch let error as SafeTensorsError {
            throw EncoderError(file: error.file, field: error.field, message: error.message)
        }
        var tensors: [String: (shape: [Int], values: [Float])] = [:]
        for name in file.names {
            let info = try file.info(name)
            guard [.float32, .float16, .bfloat16, .float64].contains(info.dtype) else { continue }
            let values: [Float]
            do {
                values = try file.floats(name)
            } catch let error as SafeTensorsError {
                throw EncoderError(file: error.file, field: error.field, message: error.message)
            }
            tensors[Self.canonicalName(name)] = (info.shape, values)
        }
        self.tensors = tensors
    }

    /// `…parametrizations.weight.original0` → `…weight_g`, `…original1` → `…weight_v`; other names unchanged.
    public static func canonicalName(_ name: String) -> String {
        for (parametrized, legacy) in [("parametrizations.weight.original0", "weight_g"), ("parametrizations.weight.original1", "weight_v")]
        where name.hasSuffix(parametrized) {
            return String(name.dropLast(parametrized.count)) + legacy
        }
        return name
    }

    /// Whether a tensor of that canonical name is present.
    public func contains(_ name: String) -> Bool { tensors[name] != nil }

    /// The prefix under which `probe` is found: "" when present as is, else the first of `candidates`
    /// (e.g. `"vit."` for a `ViTForImageClassification` checkpoint) that holds it; nil when none does.
    public func prefix(holding probe: String, candidates: [String]) -> String? {
        if contains(probe) { return "" }
        return candidates.first { contains($0 + probe) }
    }

    /// Loads `layer`'s parameters from the tensors under `prefix`; unused tensors are allowed.
    ///
    /// - Throws: ``EncoderError`` naming the file and the missing or mis-shaped tensor (for weight-normalised
    ///   tensors, both spellings).
    public func load(into layer: any Layer, prefix: String) throws {
        do {
            try layer.load(tensors, prefix: prefix)
        } catch let error as ParameterLoadingError {
            switch error {
            case .missing(let name):
                var spelled = name
                for (legacy, parametrized) in [("weight_g", "parametrizations.weight.original0"), ("weight_v", "parametrizations.weight.original1")]
                where name.hasSuffix(legacy) {
                    spelled = "\(name) (or \(name.dropLast(legacy.count))\(parametrized))"
                }
                throw EncoderError(file: path, field: spelled, message: "tensor missing from the checkpoint")
            case .shapeMismatch(let name, let expected, let found):
                throw EncoderError(file: path, field: name, message: "has shape \(found), config.json implies \(expected)")
            case .valueCount(let name, let shape, let count):
                throw EncoderError(file: path, field: name, message: "has \(count) values for shape \(shape)")
            case .unused(let names):
                throw EncoderError(file: path, field: names.first, message: "\(names.count) tensors unused")
            }
        }
    }
}
