import Foundation
import Signals
import TestSupport

/// Paths and loaders shared by the Signals tests.
enum Fixtures {
    /// `Tests/Fixtures/signals/<name>`.
    static func signals(_ name: String) -> URL { TestPaths.tests("Fixtures/signals/\(name)") }

    /// A CWRU channel from `../shared/data/cwru/signals/<record>_<channel>.f32` at 12 kHz.
    static func cwru(_ record: String, channel: String = "DE") throws -> AudioSignal {
        try AudioSignal.readRawFloat32(from: TestPaths.sharedFile("data/cwru/signals/\(record)_\(channel).f32"),
                                       sampleRate: 12_000)
    }

    /// A committed little-endian float32 array.
    static func float32(_ name: String) throws -> [Float] {
        try AudioSignal.readRawFloat32(from: signals(name), sampleRate: 1).channels[0]
    }

    /// A row of `bearing_facts.csv` as a column → value map.
    static func bearingFacts(position: String) throws -> [String: String] {
        let text = try String(contentsOf: TestPaths.sharedFile("data/cwru/bearing_facts.csv"), encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        guard let row = lines.dropFirst().first(where: { $0.first == position }) else { return [:] }
        return Dictionary(uniqueKeysWithValues: zip(header, row))
    }

    /// A row of `manifest.csv` for `record` as a column → value map.
    static func manifest(record: String) throws -> [String: String] {
        let text = try String(contentsOf: TestPaths.sharedFile("data/cwru/manifest.csv"), encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        guard let row = lines.dropFirst().first(where: { $0.first == record }) else { return [:] }
        return Dictionary(uniqueKeysWithValues: zip(header, row))
    }
}
