/// A problem reading or building a triple dataset, with the file and line where it was found.
public struct TripleDatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file being read, or nil for triples given in memory.
    public var file: String?
    /// 1-based line number, or 0 when the problem is not tied to a line.
    public var line: Int
    /// What is wrong, in words a person can act on.
    public var message: String

    /// Creates an error positioned at `file:line`.
    public init(file: String?, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, the form compilers use.
    public var description: String {
        let place = file ?? "<triples>"
        return line > 0 ? "\(place):\(line): \(message)" : "\(place): \(message)"
    }
}
