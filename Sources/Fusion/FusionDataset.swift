import Foundation

/// A dataset description in JSON Lines: one case per line, read into `FusionCase`s for a configuration.
///
/// Each non-empty line is an object:
/// ```
/// {"label": "drive_end_ball",                       // class name (or index)
///  "modalities": {"drive_end": {"values": [[…], …]},  // inline [n][f] array (or a flat n·f array)
///                 "spectrogram": {"file": "x.f32"}},  // raw little-endian float32, n·f values, path relative to the JSONL
///  "entities": [{"id": "drive_end_bpfi", "scalar": 1.7}, {"id": 3}],  // entity name (or row), optional scalar
///  "group": "X118"}                                  // optional, e.g. the recording
/// ```
/// A modality the line does not mention is missing for that case. Errors name the file, line and field.
public struct FusionDataset: Sendable {
    /// The cases in file order.
    public let cases: [FusionCase]

    /// Reads `path` for `configuration`; `classNames` and `entityNames` resolve string labels and entity ids.
    public init(path: String, configuration: FusionConfiguration, classNames: [String], entityNames: [String] = []) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FusionError(message: "\(path): cannot read file")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let classIndex = Dictionary(classNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let entityIndex = Dictionary(entityNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var cases: [FusionCase] = []
        for (lineIndex, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let where_ = "\(path):\(lineIndex + 1)"
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw FusionError(message: "\(where_): not a JSON object")
            }
            let label: Int?
            switch object["label"] {
            case nil, is NSNull: label = nil
            case let name as String:
                guard let index = classIndex[name] else { throw FusionError(message: "\(where_): label: unknown class \(name)") }
                label = index
            case let number as NSNumber:
                guard number.intValue >= 0 && number.intValue < configuration.classCount else {
                    throw FusionError(message: "\(where_): label: \(number) outside 0..<\(configuration.classCount)")
                }
                label = number.intValue
            default: throw FusionError(message: "\(where_): label: need a class name or index")
            }
            let inputs = object["modalities"] as? [String: Any] ?? [:]
            let known = Set(configuration.modalities.map(\.name))
            if let unknown = inputs.keys.sorted().first(where: { !known.contains($0) }) {
                throw FusionError(message: "\(where_): modalities.\(unknown): the model has no such modality")
            }
            var modalities: [[Float]?] = []
            for modality in configuration.modalities {
                guard let entry = inputs[modality.name] else { modalities.append(nil); continue }
                let field = "\(where_): modalities.\(modality.name)"
                guard let entry = entry as? [String: Any] else { throw FusionError(message: "\(field): need an object") }
                let values: [Float]
                if let file = entry["file"] as? String {
                    let filePath = file.hasPrefix("/") ? file : (folder as NSString).appendingPathComponent(file)
                    guard let bytes = FileManager.default.contents(atPath: filePath) else {
                        throw FusionError(message: "\(field).file: cannot read \(filePath)")
                    }
                    guard bytes.count % 4 == 0 else {
                        throw FusionError(message: "\(field).file: \(filePath) has \(bytes.count) bytes, not whole float32 values")
                    }
                    values = bytes.withUnsafeBytes { raw in
                        (0..<(bytes.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
                    }
                } else if let rows = entry["values"] as? [Any] {
                    var flat: [Float] = []
                    for (r, row) in rows.enumerated() {
                        if let number = row as? NSNumber { flat.append(number.floatValue); continue }
                        guard let numbers = row as? [NSNumber] else {
                            throw FusionError(message: "\(field).values[\(r)]: need a number or an array of numbers")
                        }
                        flat += numbers.map(\.floatValue)
                    }
                    values = flat
                } else {
                    throw FusionError(message: "\(field): need \"values\" or \"file\"")
                }
                guard values.count == modality.tokenCount * modality.featureSize else {
                    throw FusionError(message: "\(field): \(values.count) values, need \(modality.tokenCount)×\(modality.featureSize)")
                }
                modalities.append(values)
            }
            var entities: [LinkedEntity] = []
            for (e, entry) in (object["entities"] as? [Any] ?? []).enumerated() {
                let field = "\(where_): entities[\(e)]"
                guard let entry = entry as? [String: Any] else { throw FusionError(message: "\(field): need an object") }
                let row: Int
                switch entry["id"] {
                case let name as String:
                    guard let index = entityIndex[name] else { throw FusionError(message: "\(field).id: unknown entity \(name)") }
                    row = index
                case let number as NSNumber: row = number.intValue
                default: throw FusionError(message: "\(field).id: need an entity name or row")
                }
                guard row >= 0 && row < configuration.knowledgeEntityCount else {
                    throw FusionError(message: "\(field).id: row \(row) outside 0..<\(configuration.knowledgeEntityCount)")
                }
                let scalar = (entry["scalar"] as? NSNumber)?.floatValue ?? 0
                entities.append(LinkedEntity(index: row, scalar: scalar))
            }
            if entities.count > configuration.knowledgeTokenCount {
                throw FusionError(message: "\(where_): entities: \(entities.count) links, the model has \(configuration.knowledgeTokenCount) KG slots")
            }
            cases.append(FusionCase(modalities: modalities, entities: entities, label: label,
                                    group: object["group"] as? String ?? ""))
        }
        self.cases = cases
    }
}
