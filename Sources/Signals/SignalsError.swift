import Foundation

/// An error reading or writing a signal or image file: which file, and what is wrong with it.
public struct SignalsError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of problem this is, so callers can branch without parsing the message.
    public enum Kind: String, Sendable, Equatable {
        /// The file could not be opened, read or written.
        case inputOutput = "I/O error"
        /// The file ends before a header or a declared payload is complete.
        case truncated = "truncated file"
        /// The file is well formed but uses a variant this module does not read.
        case unsupportedFormat = "unsupported format"
        /// The file breaks its format's rules (bad magic, inconsistent sizes, bad values).
        case malformed = "malformed file"
        /// An argument was out of range (for example a sample rate of zero).
        case invalidArgument = "invalid argument"
    }

    /// The kind of problem.
    public var kind: Kind
    /// The file concerned (a path, or a label such as `<memory>` for in-memory data).
    public var file: String
    /// What is wrong, in words, with the offending value where there is one.
    public var reason: String

    /// Creates an error for `file`.
    public init(_ kind: Kind, file: String, reason: String) {
        self.kind = kind
        self.file = file
        self.reason = reason
    }

    /// `file: kind: reason`.
    public var description: String { "\(file): \(kind.rawValue): \(reason)" }
}

extension SignalsError {
    /// Reads a whole file, turning Foundation's error into a `SignalsError` naming the file.
    static func readFile(_ url: URL) throws(SignalsError) -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw SignalsError(.inputOutput, file: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
    }

    /// Writes a whole file atomically, turning Foundation's error into a `SignalsError` naming the file.
    static func writeFile(_ data: Data, to url: URL) throws(SignalsError) {
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw SignalsError(.inputOutput, file: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
