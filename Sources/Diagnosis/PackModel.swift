import Foundation
import Fusion
import Hashing
import RDF

/// The models a pack trains: the fused model that diagnoses, and the ablations `kgfuse evaluate` compares it with.
public enum PackModelVariant: String, CaseIterable, Sendable, Codable {
    /// Drive-end, fan-end and base signals plus KG tokens: the model `kgfuse diagnose` uses.
    case fused
    /// The same modalities without KG tokens.
    case fusedWithoutKnowledge = "fused_without_kg"
    /// The drive-end accelerometer alone.
    case driveEnd = "drive_end"
    /// The fan-end accelerometer alone.
    case fanEnd = "fan_end"
    /// The base accelerometer's spectrogram alone.
    case spectrogram

    /// Indices into `BearingFeatures.modalities`.
    public var modalityIndices: [Int] {
        switch self {
        case .fused, .fusedWithoutKnowledge: return [0, 1, 2]
        case .driveEnd: return [0]
        case .fanEnd: return [1]
        case .spectrogram: return [2]
        }
    }

    /// True when the variant reads KG tokens.
    public var usesKnowledge: Bool { self == .fused }

    /// Keeps only this variant's modalities of a case prepared with all of them (and drops KG links without KG).
    public func restrict(_ fusionCase: FusionCase) -> FusionCase {
        var copy = fusionCase
        copy.modalities = modalityIndices.map { $0 < fusionCase.modalities.count ? fusionCase.modalities[$0] : nil }
        if !usesKnowledge { copy.entities = [] }
        return copy
    }
}

/// `pack.json`: what a trained pack model folder holds and how it was made.
public struct PackModelManifest: Codable, Sendable, Equatable {
    /// What the KG table was trained as.
    public struct KnowledgeEmbedding: Codable, Sendable, Equatable {
        /// The embedding model (transe, rotate, ...).
        public var model: String
        /// Width of an entity row.
        public var width: Int
        /// Epochs trained.
        public var epochs: Int
        /// Entities and triples of the ontology's entity graph.
        public var entityCount: Int, tripleCount: Int
        /// Final training loss.
        public var finalLoss: Double
    }
    /// How one variant trained.
    public struct VariantSummary: Codable, Sendable, Equatable {
        /// The variant.
        public var variant: PackModelVariant
        /// The epoch kept (best validation accuracy).
        public var bestEpoch: Int
        /// Epochs run.
        public var epochsRun: Int
        /// Accuracy on the validation windows at the kept epoch.
        public var validationAccuracy: Float
        /// The calibrated temperature (fitted on the validation windows).
        public var temperature: Float
        /// sha256 of the weights file.
        public var weightsSHA256: String
    }

    /// Always `kgfuse-pack-model`.
    public var format: String = "kgfuse-pack-model"
    /// The pack.
    public var pack: String
    /// KG table rows, by entity IRI.
    public var entities: [String]
    /// The KG embedding the table rows came from.
    public var knowledgeEmbedding: KnowledgeEmbedding
    /// The variants trained.
    public var variants: [VariantSummary]
    /// The data folder, the motor loads trained on, and the window counts.
    public var trainingData: String
    /// Motor loads whose recordings were used for training and validation.
    public var trainingLoads: [Int]
    /// Window counts.
    public var trainingWindows: Int, validationWindows: Int
    /// sha256 of the ontology file the knowledge came from.
    public var ontologySHA256: String
    /// When training finished (ISO 8601).
    public var createdAt: String

    /// Reads `<directory>/pack.json`.
    public static func read(directory: String) throws -> PackModelManifest {
        let path = (directory as NSString).appendingPathComponent("pack.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosisError("\(path): cannot read (train a model with `kgfuse train --pack industrial-qa`)")
        }
        do { return try JSONDecoder().decode(PackModelManifest.self, from: data) } catch let DecodingError.keyNotFound(key, context) {
            throw DiagnosisError("\(path): missing field \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))")
        } catch {
            throw DiagnosisError("\(path): not a pack model manifest (\(error))")
        }
    }

    /// Writes `<directory>/pack.json`.
    public func write(directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let path = (directory as NSString).appendingPathComponent("pack.json")
        do { try encoder.encode(self).write(to: URL(fileURLWithPath: path)) } catch {
            throw DiagnosisError("\(path): cannot write (\(error.localizedDescription))")
        }
    }
}

/// A loaded variant: the model, its calibrated temperature, and the sha256 that identifies it in the audit log.
public struct LoadedPackModel {
    /// The model (evaluation mode).
    public let model: FusionModel
    /// The calibrated temperature T of softmax(logits / T).
    public let temperature: Float
    /// sha256 over the weights' and the configuration's sha256 (hex, "weights\nconfiguration").
    public let sha256: String

    /// Loads `<directory>/<variant>.{json,safetensors}`.
    public init(directory: String, variant: PackModelVariant) throws {
        let (model, document) = try FusionCheckpoint.load(directory: directory, name: variant.rawValue)
        self.model = model
        temperature = document.temperature
        let weights = try SHA256.hex(ofFileAt: (directory as NSString).appendingPathComponent("\(variant.rawValue).safetensors"))
        let configuration = try SHA256.hex(ofFileAt: (directory as NSString).appendingPathComponent("\(variant.rawValue).json"))
        sha256 = SHA256.hex(of: weights + "\n" + configuration)
    }
}

extension PackModelVariant {
    /// The fusion shape of this variant: d_model 64, 4 heads, feed-forward 128, one pre-norm layer, 7 classes; with
    /// KG tokens, `slots` slots over a table of `entityCount` rows of `entityWidth`, class rows `classRows`.
    public func configuration(entityCount: Int, entityWidth: Int, slots: Int, classRows: [Int], seed: UInt64 = 17) -> FusionConfiguration {
        let knowledge = usesKnowledge
        return FusionConfiguration(
            modalities: modalityIndices.map { BearingFeatures.modalities[$0].specification }, modelDimension: 64, headCount: 4,
            feedForwardDimension: 128, layerCount: 1, dropout: 0.1, classCount: IndustrialQA.classes.count,
            knowledgeEntityCount: knowledge ? entityCount : 0, knowledgeDimension: knowledge ? entityWidth : 0,
            knowledgeTokenCount: knowledge ? slots : 0, classEntityIndices: knowledge ? classRows : [], retrievalDimension: 32,
            gateHiddenDimension: 32, preNorm: true, activation: "gelu", seed: seed)
    }
}
