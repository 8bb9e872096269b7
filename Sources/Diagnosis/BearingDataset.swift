import Foundation
import RDF
import Signals

/// A folder of bearing vibration recordings in the layout of `../shared/data/cwru`: `manifest.csv` (one row per
/// recording) and `signals/<record>_<channel>.f32` (raw little-endian float32, one file per accelerometer).
///
/// Columns read from the manifest (others are ignored): `record`, `label` (normal, inner_race, outer_race…, ball),
/// `fault_diameter_mil`, `motor_load_hp`, `rpm`, `fs_hz`, `channels` (e.g. `DE;FE;BA`) and `fault_end`
/// (drive_end, fan_end; empty for normal).
public struct BearingDataset: Sendable {
    /// One recording of the manifest.
    public struct Recording: Sendable, Equatable {
        /// The record name (the signal files' stem).
        public var name: String
        /// The diagnosis class (one of `IndustrialQA.classes`).
        public var diagnosis: IRI
        /// The class's index in `IndustrialQA.classes`.
        public var classIndex: Int
        /// The seeded defect's diameter in mil, when the manifest gives one above 0.
        public var faultDiameterMil: Double?
        /// The motor load in horsepower.
        public var motorLoad: Int
        /// The shaft speed in revolutions per minute.
        public var rpm: Double
        /// Samples per second.
        public var sampleRate: Int
        /// The channels recorded (DE, FE, BA).
        public var channels: [String]
    }

    /// The dataset folder.
    public let folder: URL
    /// The recordings, in manifest order.
    public let recordings: [Recording]

    /// Reads `<folder>/manifest.csv`; errors name the file, line and column.
    public init(folder: String) throws {
        self.folder = URL(fileURLWithPath: folder)
        let manifestPath = self.folder.appendingPathComponent("manifest.csv").path
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw DiagnosisError("\(manifestPath): cannot read the manifest (a data folder holds manifest.csv and signals/)")
        }
        let table = try CSVTable(text: String(decoding: data, as: UTF8.self), path: manifestPath)
        var recordings: [Recording] = []
        for row in table.rows {
            let name = try table.value(row, "record")
            guard !name.isEmpty else { throw table.error(row, "record", "is empty") }
            let label = try table.value(row, "label")
            let faultEnd = try table.value(row, "fault_end")
            guard let diagnosis = IndustrialQA.diagnosisClass(label: label, faultEnd: faultEnd),
                  let classIndex = IndustrialQA.classes.firstIndex(of: diagnosis) else {
                throw table.error(row, "label", "label \(label) with fault_end '\(faultEnd)' is not one of the pack's classes")
            }
            let diameter = try table.number(row, "fault_diameter_mil")
            let load = try table.number(row, "motor_load_hp")
            let rpm = try table.number(row, "rpm")
            let rate = try table.number(row, "fs_hz")
            guard rpm > 0 else { throw table.error(row, "rpm", "must be positive") }
            guard rate >= 1000, rate == rate.rounded() else { throw table.error(row, "fs_hz", "must be a whole number of at least 1000") }
            let channels = try table.value(row, "channels").split(separator: ";").map(String.init)
            guard !channels.isEmpty else { throw table.error(row, "channels", "names no channel") }
            recordings.append(Recording(name: name, diagnosis: diagnosis, classIndex: classIndex,
                                        faultDiameterMil: diameter > 0 ? diameter : nil, motorLoad: Int(load), rpm: rpm,
                                        sampleRate: Int(rate), channels: channels))
        }
        guard !recordings.isEmpty else { throw DiagnosisError("\(manifestPath): no recordings listed") }
        self.recordings = recordings
    }

    /// The path of one channel's signal file.
    public func signalPath(_ recording: Recording, channel: String) -> String {
        folder.appendingPathComponent("signals/\(recording.name)_\(channel).f32").path
    }

    /// Reads one channel of a recording (nil when the recording has no such channel).
    public func signal(_ recording: Recording, channel: String) throws -> [Float]? {
        guard recording.channels.contains(channel) else { return nil }
        return try AudioSignal.readRawFloat32(from: URL(fileURLWithPath: signalPath(recording, channel: channel)),
                                              sampleRate: recording.sampleRate).channels[0]
    }

    /// Reads every channel of a recording, keyed by channel name.
    public func signals(_ recording: Recording) throws -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for channel in recording.channels { result[channel] = try signal(recording, channel: channel) }
        return result
    }
}

/// A small CSV table with a header row: comma-separated, no quoting (the manifests this reads use none), CR/LF
/// line ends, blank lines skipped. Rows keep their 1-based line numbers for error messages.
struct CSVTable {
    let path: String
    let header: [String]
    let rows: [(line: Int, fields: [String])]

    init(text: String, path: String) throws {
        self.path = path
        // "\r\n" is one Character in Swift, so split on Unicode scalars.
        var lines: [(Int, String)] = []
        var number = 0
        for line in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let content = String(String.UnicodeScalarView(line.filter { $0 != "\r" }))
            if !content.trimmingCharacters(in: .whitespaces).isEmpty { lines.append((number, content)) }
        }
        guard let first = lines.first else { throw DiagnosisError("\(path): empty file, expected a header row") }
        header = first.1.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        rows = lines.dropFirst().map { ($0.0, $0.1.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }) }
    }

    /// The raw text of `column` in `row`.
    func value(_ row: (line: Int, fields: [String]), _ column: String) throws -> String {
        guard let index = header.firstIndex(of: column) else {
            throw DiagnosisError("\(path):1: missing column \(column) (header: \(header.joined(separator: ",")))")
        }
        guard index < row.fields.count else { throw error(row, column, "is missing (the row has \(row.fields.count) fields)") }
        return row.fields[index]
    }

    /// The number in `column` of `row`.
    func number(_ row: (line: Int, fields: [String]), _ column: String) throws -> Double {
        let text = try value(row, column)
        guard let number = Double(text), number.isFinite else { throw error(row, column, "'\(text)' is not a number") }
        return number
    }

    /// An error naming the file, line, column number and column name.
    func error(_ row: (line: Int, fields: [String]), _ column: String, _ message: String) -> DiagnosisError {
        let position = (header.firstIndex(of: column) ?? 0) + 1
        return DiagnosisError("\(path):\(row.line): column \(position) (\(column)): \(message)")
    }
}

/// A diagnosis error with a message naming the file, line, field or option at fault.
public struct DiagnosisError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong and where.
    public let message: String
    /// Creates an error with `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
