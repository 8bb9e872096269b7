import Foundation

/// Paths the tests need: the repository, its fixtures and the shared data folder beside it (`../shared`).
public enum TestPaths {
    /// The repository root, found by walking up from this file to the folder holding Package.swift.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `../shared` beside the repository (CI puts it there); `$KGFUSE_SHARED` overrides.
    public static let shared: URL = {
        if let override = ProcessInfo.processInfo.environment["KGFUSE_SHARED"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// A path under `Tests/`.
    public static func tests(_ relative: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests").appendingPathComponent(relative)
    }

    /// A path under `../shared`.
    public static func sharedFile(_ relative: String) -> URL {
        shared.appendingPathComponent(relative)
    }

    /// A fresh, empty temporary directory, unique to the caller.
    public static func temporaryDirectory(_ label: String = "kgfuse-test") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A row of a W3C `manifest.tsv` (name, type, action file, action IRI, result file).
public struct ManifestEntry: Sendable, CustomStringConvertible {
    public var name: String
    public var type: String
    public var action: String
    public var actionIRI: String
    public var result: String

    /// The test's name, so parameterised tests are reported by it.
    public var description: String { name }

    /// Reads a manifest.tsv, skipping `#` comments and the header row.
    public static func read(_ url: URL) -> [ManifestEntry] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            if line.hasPrefix("#") || line.hasPrefix("name\t") { return nil }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4 else { return nil }
            return ManifestEntry(name: fields[0], type: fields[1], action: fields[2], actionIRI: fields[3],
                                 result: fields.count > 4 ? fields[4] : "")
        }
    }
}

/// Runs the sqlite3 command-line shell on a database file (tests use it to edit rows behind the store's back).
public enum SQLiteShell {
    /// Runs `sql` on the database at `path`; returns the exit status and the combined output.
    public static func run(_ path: String, _ sql: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
