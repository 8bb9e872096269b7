import Foundation
import Tensor
import Hashing

/// A saved fusion model: weights in safetensors (`<name>.safetensors`) and the configuration in JSON
/// (`<name>.json`, with the calibrated temperature and the class names), each with its SHA-256.
public struct FusionCheckpoint: Sendable {
    /// Path of the safetensors file.
    public let weightsPath: String
    /// Path of the config JSON.
    public let configurationPath: String
    /// SHA-256 (hex) of the safetensors file, for the store's models table.
    public let weightsSHA256: String
    /// SHA-256 (hex) of the config JSON.
    public let configurationSHA256: String

    /// The JSON document beside the weights.
    public struct Document: Codable, Sendable, Equatable {
        /// The model's shape.
        public var configuration: FusionConfiguration
        /// The temperature T of the calibrated softmax(logits/T).
        public var temperature: Float
        /// Class names in class-index order.
        public var classNames: [String]

        /// Creates a document.
        public init(configuration: FusionConfiguration, temperature: Float, classNames: [String]) {
            self.configuration = configuration
            self.temperature = temperature
            self.classNames = classNames
        }

        enum CodingKeys: String, CodingKey {
            case configuration, temperature, classNames = "class_names"
        }
    }

    /// The safetensors name of the frozen KG table.
    public static let knowledgeTableName = "knowledge.table"

    /// Writes `model` (every parameter, plus the KG table) to `<directory>/<name>.safetensors` and its document
    /// to `<directory>/<name>.json`, and hashes both.
    public static func save(model: FusionModel, temperature: Float, classNames: [String], directory: String,
                            name: String) throws -> FusionCheckpoint {
        var writer = SafeTensorsWriter(metadata: ["format": "kgfuse-fusion", "version": "1"])
        for (parameterName, tensor) in model.namedParameters() {
            try writer.add(name: parameterName, shape: tensor.shape, floats: tensor.values)
        }
        if let knowledge = model.knowledge {
            try writer.add(name: knowledgeTableName, shape: knowledge.table.shape, floats: knowledge.table.values)
        }
        let weightsPath = (directory as NSString).appendingPathComponent("\(name).safetensors")
        let configurationPath = (directory as NSString).appendingPathComponent("\(name).json")
        try writer.write(to: weightsPath)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let document = Document(configuration: model.configuration, temperature: temperature, classNames: classNames)
        do {
            try encoder.encode(document).write(to: URL(fileURLWithPath: configurationPath))
        } catch {
            throw FusionError(message: "\(configurationPath): cannot write (\(error))")
        }
        return FusionCheckpoint(weightsPath: weightsPath, configurationPath: configurationPath,
                                weightsSHA256: try SHA256.hex(ofFileAt: weightsPath),
                                configurationSHA256: try SHA256.hex(ofFileAt: configurationPath))
    }

    /// Rebuilds the model from `<directory>/<name>.{json,safetensors}`; every parameter must be present with its
    /// shape, and no unknown tensor may remain. Returns the model and its document.
    public static func load(directory: String, name: String) throws -> (model: FusionModel, document: Document) {
        let configurationPath = (directory as NSString).appendingPathComponent("\(name).json")
        let weightsPath = (directory as NSString).appendingPathComponent("\(name).safetensors")
        guard let data = FileManager.default.contents(atPath: configurationPath) else {
            throw FusionError(message: "\(configurationPath): cannot read file")
        }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw FusionError(message: "\(configurationPath): missing field \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw FusionError(message: "\(configurationPath): wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch {
            throw FusionError(message: "\(configurationPath): not a fusion config (\(error))")
        }
        let model = try FusionModel(configuration: document.configuration)
        let file = try SafeTensorsFile(path: weightsPath)
        var weights: [String: (shape: [Int], values: [Float])] = [:]
        for tensorName in file.names {
            weights[tensorName] = (try file.info(tensorName).shape, try file.floats(tensorName))
        }
        if let knowledge = model.knowledge {
            guard let table = weights.removeValue(forKey: knowledgeTableName) else {
                throw FusionError(message: "\(weightsPath): no tensor named \(knowledgeTableName)")
            }
            guard table.shape == knowledge.table.shape else {
                throw FusionError(message: "\(weightsPath): \(knowledgeTableName) has shape \(table.shape), need \(knowledge.table.shape)")
            }
            try knowledge.setTable(table.values)
        }
        do {
            try model.load(weights, allowingUnused: false)
        } catch let error as ParameterLoadingError {
            throw FusionError(message: "\(weightsPath): \(error)")
        }
        model.setTraining(false)
        return (model, document)
    }
}
