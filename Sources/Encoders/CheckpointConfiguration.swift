import Foundation

/// A Hugging Face `config.json` read as a JSON object, with typed field access that names the file and field on error.
public struct CheckpointConfiguration: @unchecked Sendable {
    // @unchecked Sendable: `fields` holds only immutable Foundation JSON values (NSNumber, NSString, arrays, dictionaries).

    /// The path the configuration was read from (for error messages).
    public let path: String
    /// The top-level JSON object.
    let fields: [String: Any]

    /// Reads and parses `path`.
    ///
    /// - Throws: ``EncoderError`` when the file is missing or is not a JSON object.
    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw EncoderError(file: path, message: "no such file (a checkpoint folder needs config.json and model.safetensors)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EncoderError(file: path, message: "cannot read the file")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw EncoderError(file: path, message: "is not valid JSON: \(error.localizedDescription)")
        }
        guard let fields = object as? [String: Any] else {
            throw EncoderError(file: path, message: "is not a JSON object")
        }
        self.path = path
        self.fields = fields
    }

    /// `model_type` (e.g. `bert`, `vit`, `wav2vec2`).
    public var modelType: String? { fields["model_type"] as? String }

    /// Whether the field is present and not null.
    public func contains(_ field: String) -> Bool {
        guard let value = fields[field] else { return false }
        return !(value is NSNull)
    }

    /// An integer field, or `defaultValue` when absent.
    public func integer(_ field: String, default defaultValue: Int? = nil) throws -> Int {
        guard contains(field) else {
            if let defaultValue { return defaultValue }
            throw EncoderError(file: path, field: field, message: "missing")
        }
        guard let number = fields[field] as? NSNumber, !isJSONBoolean(number),
              let value = Int(exactly: number.doubleValue) else {
            throw EncoderError(file: path, field: field, message: "is not an integer: \(fields[field]!)")
        }
        return value
    }

    /// A floating-point field, or `defaultValue` when absent.
    public func number(_ field: String, default defaultValue: Double? = nil) throws -> Double {
        guard contains(field) else {
            if let defaultValue { return defaultValue }
            throw EncoderError(file: path, field: field, message: "missing")
        }
        guard let number = fields[field] as? NSNumber else {
            throw EncoderError(file: path, field: field, message: "is not a number: \(fields[field]!)")
        }
        return number.doubleValue
    }

    /// A Boolean field, or `defaultValue` when absent.
    public func boolean(_ field: String, default defaultValue: Bool) throws -> Bool {
        guard contains(field) else { return defaultValue }
        guard isJSONBoolean(fields[field]!), let value = fields[field] as? Bool else {
            throw EncoderError(file: path, field: field, message: "is not true or false: \(fields[field]!)")
        }
        return value
    }

    /// A string field, or `defaultValue` when absent.
    public func string(_ field: String, default defaultValue: String? = nil) throws -> String {
        guard contains(field) else {
            if let defaultValue { return defaultValue }
            throw EncoderError(file: path, field: field, message: "missing")
        }
        guard let value = fields[field] as? String else {
            throw EncoderError(file: path, field: field, message: "is not a string: \(fields[field]!)")
        }
        return value
    }

    /// An array-of-integers field, or `defaultValue` when absent.
    public func integers(_ field: String, default defaultValue: [Int]? = nil) throws -> [Int] {
        guard contains(field) else {
            if let defaultValue { return defaultValue }
            throw EncoderError(file: path, field: field, message: "missing")
        }
        guard let array = fields[field] as? [Any] else {
            throw EncoderError(file: path, field: field, message: "is not an array")
        }
        return try array.enumerated().map { index, element in
            guard let number = element as? NSNumber, let value = Int(exactly: number.doubleValue) else {
                throw EncoderError(file: path, field: "\(field)[\(index)]", message: "is not an integer: \(element)")
            }
            return value
        }
    }

    /// Fails unless `activation` is the erf GELU that ``Tensor/gelu()`` computes.
    func requireGELU(_ field: String, default defaultValue: String = "gelu") throws {
        let activation = try string(field, default: defaultValue)
        guard activation == "gelu" else {
            throw EncoderError(file: path, field: field, message: "\"\(activation)\" is not supported (only gelu, erf form)")
        }
    }
}
