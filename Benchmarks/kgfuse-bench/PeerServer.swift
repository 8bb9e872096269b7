import Foundation

/// A peer benchmark running as a child process in `--serve` mode (Benchmarks/text-encoder/peer.py,
/// Benchmarks/fusion/peer.py): it prints `ready` once set up, then answers each stdin line `run N` with one JSON
/// line `{"wall": [ms...], "cpu": [ms...]}` of N timed calls. Between requests it waits on stdin, so it does not
/// compete with kgfuse's runs.
final class PeerServer {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errorPath: String
    private var buffer = Data()
    private let command: String

    /// Starts `executable arguments` with `environment` added, and waits until it prints `ready`.
    init(executable: String, arguments: [String], environment: [String: String]) throws {
        command = ([executable] + arguments).joined(separator: " ")
        errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("kgfuse-bench-peer-\(UUID().uuidString).log").path
        guard FileManager.default.createFile(atPath: errorPath, contents: nil) else {
            throw BenchmarkError("cannot create the peer log \(errorPath)")
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
        while true {
            guard let line = readLine() else { throw failure("exited before it was ready") }
            if line == "ready" { break }
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: errorPath)
    }

    /// Times `count` calls in the peer: per-call wall and process CPU milliseconds.
    func run(_ count: Int) throws -> (wall: [Double], processor: [Double]) {
        input.fileHandleForWriting.write(Data("run \(count)\n".utf8))
        guard let line = readLine() else { throw failure("exited during a run") }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let wall = object["wall"] as? [Double], let processor = object["cpu"] as? [Double],
              wall.count == count, processor.count == count
        else { throw failure("answered \(line.prefix(200))") }
        return (wall, processor)
    }

    /// Closes the peer's stdin (it then exits) and waits for it.
    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// The next line of the peer's stdout, or nil at end of file.
    private func readLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line.trimmingCharacters(in: .whitespaces)
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    /// An error quoting the command and the end of the peer's stderr.
    private func failure(_ what: String) -> BenchmarkError {
        let log = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        let tail = log.split(separator: "\n").suffix(15).joined(separator: "\n")
        return BenchmarkError("peer `\(command)` \(what); its stderr ends with:\n\(tail)")
    }
}
